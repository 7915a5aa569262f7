// Errors caused by the user's input (arguments, files, datasets, a model asked outside its valid
// range), as opposed to bugs. The CLI prints them as one line and exits with code 2.
export class InputError extends Error {
  override readonly name: string = 'InputError';
}
