import { SallyportError, type ModelErrorCode } from '../errors.js';

export type ProjectFileErrorCode = Extract<ModelErrorCode, `ERR_PROJECT_${string}`>;

/** Anything wrong with sallyport.yaml: one message naming the file and the offending key. */
export class ProjectFileError extends SallyportError {
  readonly code: ProjectFileErrorCode;
  /** Absolute path of the project file (or of the path given, when no file was found). */
  readonly file: string;
  /** Dotted key path, e.g. `functions.api-authorizer.Runtime`; absent for file-level errors. */
  readonly keyPath: string | undefined;

  constructor(code: ProjectFileErrorCode, file: string, message: string, keyPath?: string) {
    super(message);
    this.code = code;
    this.file = file;
    this.keyPath = keyPath;
  }
}
