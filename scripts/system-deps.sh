#!/usr/bin/env bash
# System packages the tests need: a real browser for the report test (Debian `chromium`), the real
# Fashion-MNIST files (Debian `dataset-fashion-mnist`), NumPy and h5py (Debian `python3-numpy`,
# `python3-h5py`) so that the readers of users' .npy/.npz and NIR (HDF5) files are tested on files
# written by the libraries users write them with, and PyTorch (Debian `python3-torch`) so that the
# activity recorder (recorder/joulebench_record.py) is tested on a real PyTorch network. Installs
# them with apt when missing and we are root; otherwise says exactly what to install. Idempotent and
# quick when everything is present.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz ] || [ -n "${JOULEBENCH_FASHION_MNIST_DIR:-}" ] || need+=(dataset-fashion-mnist)
/usr/bin/python3 -c 'import numpy, h5py' >/dev/null 2>&1 || need+=(python3-numpy python3-h5py)
/usr/bin/python3 -c 'import torch' >/dev/null 2>&1 || need+=(python3-torch)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "joulebench: installing system packages: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi

if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
  echo "joulebench: installing system packages with sudo: ${need[*]}" >&2
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  exit 0
fi

echo "joulebench: error: missing system packages: ${need[*]}; install them with: sudo apt-get install ${need[*]}" >&2
exit 2
