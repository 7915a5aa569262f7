"""Record a PyTorch network's per-layer activity for `joulebench price` (format joulebench-activity v1).

One file, no dependency but PyTorch (1.13 or later) and Python 3.9+. It registers forward hooks on the
network's nn.Linear, nn.Conv2d, nn.AvgPool2d and nn.MaxPool2d modules and on its spiking-neuron
modules, runs your data through it step by step, and writes what each layer did, per inference, as
means over the samples:

    import joulebench_record as jr
    doc = jr.record(net, loader, network="my-snn", timesteps=25)   # batches [T, B, ...] or (x, y)
    jr.write(doc, "activity.json")
    # then: npx joulebench price activity.json

A *layer* is one Linear / Conv2d / pooling module and the neurons right after it (the modules called
between it and the next such module that are spiking neurons). Neuron modules are recognized by
class name (snnTorch Leaky / Synaptic, SpikingJelly IFNode / LIFNode, Norse LIFCell / LIFBoxCell,
Sinabs IAF / LIF …) or given: ``neurons={module: "lif"}`` or ``{module: ("lif", "zero")}``
(model if / lif / cuba, reset subtract / zero). The last layer may have no neuron (a read-out that
integrates without spiking: it records 0 output events). Recorded per layer: input events
(nonzero inputs) per timestep, output events (spikes), synaptic operations (each nonzero input times
the outputs it reaches, computed by convolving the event map with a ones kernel, so padding and
pooling windows are exact), neuron updates (neurons × steps: time-stepped), weights and nonzero
weights, NeuroBench's per-layer counts (Dense, effective MACs / ACs, activations), and whether the
layer's inputs were binary spikes (ACs) or analog values (MACs).

Stepping: by default ``step(model, x_t) = model(x_t)`` for t in range(T), with the model's neuron
state reset before each batch (``reset_hidden()`` / ``reset()`` of the neuron modules, as snnTorch and
SpikingJelly provide); give ``step`` and ``reset`` for anything else (e.g. Norse cells that take and
return their state). ``family="ann"``: batches [B, ...], one step, nn.ReLU modules as the activation.
"""

from __future__ import annotations

import json
import math
from typing import Any, Callable, Iterable, Optional

import torch
import torch.nn.functional as F
from torch import nn

FORMAT = "joulebench-activity"
VERSION = 1
RECORDER_VERSION = "1"

# Spiking-neuron classes recognized by name: model, and the reset when the module does not say.
_NEURON_CLASSES = {
    "Leaky": "lif",  # snnTorch
    "Synaptic": "cuba",  # snnTorch
    "LIFNode": "lif",  # SpikingJelly
    "ParametricLIFNode": "lif",
    "IFNode": "if",
    "LIFCell": "lif",  # Norse
    "LIFBoxCell": "lif",
    "LIF": "lif",
    "IFCell": "if",
    "CubaLIFCell": "cuba",
    "IAF": "if",  # Sinabs
    "IAFSqueeze": "if",
    "LIFSqueeze": "lif",
}
_SYNAPTIC = (nn.Linear, nn.Conv2d)
_POOLS = (nn.AvgPool2d, nn.MaxPool2d)


class RecordError(ValueError):
    """The network or data cannot be recorded in the format (the message says why and what to do)."""


def _pair(v: Any) -> tuple:
    return (int(v[0]), int(v[1])) if isinstance(v, (tuple, list)) else (int(v), int(v))


def _neuron_of(module: nn.Module, given: Any) -> Optional[tuple]:
    """(model, reset) of a spiking module, or None when it is not one."""
    if given is not None:
        if isinstance(given, str):
            return (given, _reset_of(module))
        return (given[0], given[1])
    model = _NEURON_CLASSES.get(type(module).__name__)
    return None if model is None else (model, _reset_of(module))


def _reset_of(module: nn.Module) -> str:
    mech = getattr(module, "reset_mechanism", None)  # snnTorch: "subtract" | "zero" | "none"
    if isinstance(mech, str):
        if mech not in ("subtract", "zero"):
            raise RecordError(f"{type(module).__name__}: reset_mechanism {mech!r} has no joulebench form; use subtract or zero")
        return mech
    if hasattr(module, "v_reset"):  # SpikingJelly: None = soft reset (subtract)
        return "subtract" if getattr(module, "v_reset") is None else "zero"
    return "subtract"


class _Layer:
    """Counts of one layer, summed over samples (per timestep where the format keeps them)."""

    def __init__(self, name: str, module: nn.Module, timesteps: int):
        self.name = name
        self.module = module
        self.neuron: Optional[tuple] = None
        self.neuron_module: Optional[nn.Module] = None
        self.in_shape: Optional[tuple] = None
        self.out_shape: Optional[tuple] = None
        self.in_steps = [0] * timesteps
        self.out_steps = [0] * timesteps
        self.raw_out_steps = [0] * timesteps
        self.syn_ops = 0
        self.dense = 0
        self.eff_macs = 0
        self.eff_acs = 0
        self.activations = 0
        self.binary = True
        self.membrane_updates = 0
        self.membrane_known = True

    @property
    def kind(self) -> str:
        m = self.module
        return "dense" if isinstance(m, nn.Linear) else "conv2d" if isinstance(m, nn.Conv2d) else "avgpool2d" if isinstance(m, nn.AvgPool2d) else "maxpool2d"


def _window(module: nn.Module) -> tuple:
    """kernel, stride, padding, dilation of a Conv2d or pooling module (symmetric zero padding only)."""
    name = type(module).__name__
    dilation = (1, 1)
    if isinstance(module, nn.Conv2d):
        dilation = _pair(module.dilation)
        if module.padding_mode != "zeros":
            raise RecordError(f"{name}: padding_mode {module.padding_mode!r}; joulebench counts zero padding only")
        kernel, stride = _pair(module.kernel_size), _pair(module.stride)
        pad = module.padding
        if pad == "valid":
            padding = (0, 0)
        elif pad == "same":
            span = [d * (k - 1) for d, k in zip(dilation, kernel)]
            if any(v % 2 for v in span):
                raise RecordError(f"{name}: padding 'same' with kernel {kernel} and dilation {dilation} pads unevenly; joulebench counts symmetric padding")
            padding = (span[0] // 2, span[1] // 2)
        else:
            padding = _pair(pad)
    else:
        if getattr(module, "ceil_mode", False):
            raise RecordError(f"{name}: ceil_mode=True; joulebench's windows are floor((H + 2P - F) / S) + 1")
        if isinstance(module, nn.MaxPool2d) and _pair(module.dilation) != (1, 1):
            raise RecordError(f"{name}: dilated pooling has no joulebench form")
        kernel = _pair(module.kernel_size)
        stride = _pair(module.stride if module.stride is not None else module.kernel_size)
        padding = _pair(module.padding)
    return kernel, stride, padding, dilation


class _Recorder:
    def __init__(self, model: nn.Module, family: str, timesteps: int, neurons: Optional[dict]):
        self.family = family
        self.timesteps = timesteps
        self.given = dict(neurons or {})
        self.names = {m: (n or type(m).__name__) for n, m in model.named_modules()}
        self.layers: list = []
        self.by_module: dict = {}
        self.t = 0
        self.first_pass = True
        self.order: list = []  # modules called in this step, to check that every step calls them alike
        self.handles = []
        self.membrane_before: Optional[torch.Tensor] = None
        for m in model.modules():
            if isinstance(m, _SYNAPTIC + _POOLS):
                self.handles.append(m.register_forward_hook(self._layer_hook))
            elif self._is_neuron(m):
                self.handles.append(m.register_forward_pre_hook(self._neuron_pre_hook))
                self.handles.append(m.register_forward_hook(self._neuron_hook))

    def _is_neuron(self, m: nn.Module) -> bool:
        if m in self.given:
            return True
        if self.family == "ann":
            return isinstance(m, nn.ReLU)
        return _neuron_of(m, None) is not None

    def close(self) -> None:
        for h in self.handles:
            h.remove()

    # -- hooks ---------------------------------------------------------------------------------

    def _layer_hook(self, module: nn.Module, inputs: tuple, output: torch.Tensor) -> None:
        x = inputs[0].detach()
        y = output.detach()
        self.order.append(module)
        if self.first_pass:
            if module in self.by_module:
                raise RecordError(f"{self.names[module]}: called twice in one step; joulebench records feed-forward chains (each module once per step)")
            layer = _Layer(self.names[module], module, self.timesteps)
            self.by_module[module] = layer
            self.layers.append(layer)
        layer = self.by_module.get(module)
        if layer is None:
            raise RecordError(f"{self.names[module]}: called in a later step but not in the first; every step must call the same layers")
        B = x.shape[0]
        layer.in_shape = tuple(x.shape[1:])
        layer.out_shape = tuple(y.shape[1:])
        flat = x.reshape(B, -1)
        nz = flat != 0
        events = nz.sum(dim=1).double()
        layer.in_steps[self.t] += float(events.sum())
        binary = bool(((flat == 0) | (flat == 1) | (flat == -1)).all())
        if not bool(((flat == 0) | (flat == 1)).all()):
            layer.binary = False
        # float32 event maps: every convolved element is a count below 2^24 (exact); sums are taken in float64
        mask = nz.to(torch.float32).reshape(x.shape)
        syn, dense, eff = self._counts(module, mask)
        layer.syn_ops += float(syn)
        layer.dense += float(dense) * B
        if binary:
            layer.eff_acs += float(eff)
        else:
            layer.eff_macs += float(eff)
        # nonzero outputs of the module itself: an ANN layer's events when no activation follows it
        layer.raw_out_steps[self.t] += float((y.reshape(B, -1) != 0).sum())

    @staticmethod
    def _membrane(module: nn.Module) -> Optional[torch.Tensor]:
        """The module's stored membrane potential (snnTorch `mem`, SpikingJelly `v`), if it keeps one as a tensor."""
        for attr in ("mem", "v"):
            v = getattr(module, attr, None)
            if isinstance(v, torch.Tensor):
                return v.detach().clone()
        return None

    def _neuron_pre_hook(self, module: nn.Module, inputs: tuple) -> None:
        self.membrane_before = self._membrane(module)

    def _neuron_hook(self, module: nn.Module, inputs: tuple, output: Any) -> None:
        spikes = output[0] if isinstance(output, (tuple, list)) else output
        spikes = spikes.detach()
        if not self.layers or not self.order:
            raise RecordError(f"{self.names[module]}: a neuron module that follows no Linear / Conv2d / pooling module")
        layer = self.by_module[self.order[-1]]
        kind = _neuron_of(module, self.given.get(module)) if self.family == "snn" else ("relu", None)
        if layer.neuron_module is None:
            layer.neuron_module = module
            layer.neuron = kind
        elif layer.neuron_module is not module:
            raise RecordError(f"{self.names[module]}: a second neuron module after {layer.name}; give one neuron module per layer")
        B = spikes.shape[0]
        n = float((spikes.reshape(B, -1) != 0).sum())
        layer.out_steps[self.t] += n
        layer.activations += spikes[0].numel() * B
        # NeuroBench's membrane updates: every neuron at the first step, then those whose potential changed
        if self.t == 0:
            layer.membrane_updates += spikes[0].numel() * B
        else:
            after = self._membrane(module)
            before = self.membrane_before
            if after is None or before is None or before.shape != after.shape:
                layer.membrane_known = False
            else:
                layer.membrane_updates += float((after != before).sum())

    @staticmethod
    def _counts(module: nn.Module, mask: torch.Tensor) -> tuple:
        """Synaptic ops (sum over samples), Dense of one sample's call, effective ops (sum over samples)."""
        total = lambda t: float(t.double().sum())  # noqa: E731
        if isinstance(module, nn.Linear):
            w = (module.weight.detach() != 0).to(torch.float32)  # [out, in]
            events = mask.reshape(mask.shape[0], -1)
            return total(events) * module.out_features, module.in_features * module.out_features, total(events @ w.t())
        kernel, stride, padding, dilation = _window(module)
        C = mask.shape[1]
        ones = torch.ones_like(mask[:1])
        if isinstance(module, nn.Conv2d):
            # an input event of channel c reaches, at each output position its window covers, the K/G
            # output channels of c's group: count the events under each group's windows, times K/G
            G = module.groups
            Kg = module.out_channels // G
            geo = dict(stride=stride, padding=padding, dilation=dilation, groups=G)
            reach = torch.ones((G, C // G) + kernel, dtype=torch.float32)
            syn = total(F.conv2d(mask, reach, **geo)) * Kg
            dense = total(F.conv2d(ones, reach, **geo)) * Kg
            wnz = (module.weight.detach() != 0).to(torch.float32)
            return syn, dense, total(F.conv2d(mask, wnz, **geo))
        reach = torch.ones((C, 1) + kernel, dtype=torch.float32)
        return total(F.conv2d(mask, reach, stride=stride, padding=padding, groups=C)), 0, 0.0

    # -- the document -------------------------------------------------------------------------

    def document(self, samples: int, meta: dict) -> dict:
        T = self.timesteps
        snn = self.family == "snn"
        layers = []
        last = len(self.layers) - 1
        for i, l in enumerate(self.layers):
            m = l.module
            spiking = l.neuron is not None and snn
            if snn and not spiking and i != last:
                raise RecordError(f"{l.name}: no spiking neuron module follows it, and only the read-out (last) layer of an SNN may be non-spiking in joulebench; add the neurons, or pass neurons={{module: 'if'}} for a module that is one")
            if l.kind == "maxpool2d" and snn:
                raise RecordError(f"{l.name}: max pooling has no spiking form in joulebench; use average pooling")
            # events out: spikes; none from an SNN's read-out; an ANN layer's nonzero outputs (after its ReLU)
            out_steps = l.out_steps if spiking or (not snn and l.neuron is not None) else l.raw_out_steps if not snn else [0] * T
            entry: dict = {"name": l.name, "kind": l.kind, "inputShape": [int(math.prod(l.in_shape))] if l.kind == "dense" else list(l.in_shape)}
            entry["outputShape"] = list(l.out_shape)
            weights = 0
            nonzero = 0
            if isinstance(m, _SYNAPTIC):
                weights = int(m.weight.numel())
                nonzero = int((m.weight.detach() != 0).sum())
            if l.kind != "dense":
                kernel, stride, padding, dilation = _window(m)
                entry.update({"kernel": list(kernel), "stride": list(stride), "padding": list(padding)})
                if isinstance(m, nn.Conv2d) and m.groups != 1:
                    entry["groups"] = int(m.groups)
                if dilation != (1, 1):
                    entry["dilation"] = list(dilation)
            entry.update({"weights": weights, "nonzeroWeights": nonzero})
            if snn:
                entry["neuron"] = l.neuron[0] if spiking else "none"
                if spiking:
                    entry["reset"] = l.neuron[1]
                entry["input"] = "spikes" if l.binary else "analog"
            else:
                entry["neuron"] = "relu" if l.neuron is not None else "none"
            neurons = int(math.prod(l.out_shape))
            mean = lambda v: v / samples  # noqa: E731
            activity = {
                "inputEvents": mean(sum(l.in_steps)),
                "outputEvents": mean(sum(out_steps)),
                "inputEventsPerTimestep": [mean(v) for v in l.in_steps],
                "outputEventsPerTimestep": [mean(v) for v in out_steps],
                "synapticOps": mean(l.syn_ops),
            }
            if snn:
                activity["neuronUpdates"] = neurons * T
            activity["neurobench"] = {
                "dense": mean(l.dense),
                "effectiveMacs": mean(l.eff_macs),
                "effectiveAcs": mean(l.eff_acs),
                "activations": mean(l.activations) if (spiking or (not snn and l.neuron is not None)) else 0,
            }
            if spiking and l.membrane_known:
                activity["neurobench"]["membraneUpdates"] = mean(l.membrane_updates)
            elif not spiking:
                activity["neurobench"]["membraneUpdates"] = 0
            entry["activity"] = activity
            layers.append(entry)
        doc = {"format": FORMAT, "version": VERSION, **{k: v for k, v in meta.items() if v is not None}}
        doc.update({"family": self.family, "timesteps": T, "samples": samples})
        doc["source"] = {"recorder": f"joulebench_record.py {RECORDER_VERSION}", "framework": f"pytorch {torch.__version__}"}
        doc["layers"] = layers
        return doc


def _reset_neurons(model: nn.Module, given: dict) -> None:
    """Resets the state of every neuron module (recognized or given): reset_hidden() (snnTorch) or reset() (SpikingJelly, …)."""
    for m in model.modules():
        if m is model or not (m in given or _neuron_of(m, None) is not None):
            continue
        if callable(getattr(m, "reset_hidden", None)):
            m.reset_hidden()
        elif callable(getattr(m, "reset", None)):
            m.reset()


def record(
    model: nn.Module,
    data: Iterable,
    *,
    network: str,
    timesteps: Optional[int] = None,
    family: str = "snn",
    neurons: Optional[dict] = None,
    step: Optional[Callable] = None,
    reset: Optional[Callable] = None,
    samples: Optional[int] = None,
    time_first: bool = True,
    configuration: Optional[str] = None,
    dataset: Optional[str] = None,
    accuracy: Optional[float] = None,
) -> dict:
    """Runs ``data`` through ``model`` and returns the activity document (a dict; ``write`` saves it).

    data: an iterable of batches (a DataLoader), each a tensor or a tuple whose first element is the
    input: [T, B, ...] (``time_first``) or [B, T, ...] for an SNN, [B, ...] for an ANN.
    timesteps: steps per inference (default: the batches' T). samples: stop after this many.
    """
    if family not in ("snn", "ann"):
        raise RecordError(f"family {family!r}: give 'snn' or 'ann'")
    step = step or (lambda m, x: m(x))
    given = dict(neurons or {})
    reset = reset or (lambda m: _reset_neurons(m, given))
    rec: Optional[_Recorder] = None
    seen = 0
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for batch in data:
                x = batch[0] if isinstance(batch, (tuple, list)) else batch
                if family == "ann":
                    x = x.unsqueeze(0)
                elif not time_first:
                    x = x.transpose(0, 1)
                T = timesteps or x.shape[0]
                if x.shape[0] < T:
                    raise RecordError(f"a batch holds {x.shape[0]} timesteps, fewer than timesteps={T}")
                if rec is None:
                    rec = _Recorder(model, family, T, neurons)
                B = x.shape[1]
                if samples is not None and seen + B > samples:
                    B = samples - seen
                    x = x[:, :B]
                if B <= 0:
                    break
                reset(model)
                for t in range(T):
                    rec.t = t
                    rec.order = []
                    step(model, x[t])
                    rec.first_pass = False
                seen += B
                if samples is not None and seen >= samples:
                    break
        if rec is None or seen == 0:
            raise RecordError("the data held no samples")
        if not rec.layers:
            raise RecordError("no nn.Linear, nn.Conv2d or pooling module was called")
        return rec.document(seen, {"network": network, "configuration": configuration, "dataset": dataset, "accuracy": accuracy})
    finally:
        if rec is not None:
            rec.close()
        model.train(was_training)


def write(doc: dict, path: str) -> None:
    """Writes the document as JSON (finite numbers only)."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
