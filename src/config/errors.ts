export type ProjectFileErrorCode =
  'ERR_PROJECT_NOT_FOUND' | 'ERR_PROJECT_YAML_SYNTAX' | 'ERR_PROJECT_INVALID';

/** Anything wrong with sallyport.yaml: one message naming the file and the offending key. */
export class ProjectFileError extends Error {
  readonly code: ProjectFileErrorCode;
  /** Absolute path of the project file (or of the path given, when no file was found). */
  readonly file: string;
  /** Dotted key path, e.g. `functions.api-authorizer.Runtime`; absent for file-level errors. */
  readonly keyPath: string | undefined;

  constructor(code: ProjectFileErrorCode, file: string, message: string, keyPath?: string) {
    super(message);
    this.name = 'ProjectFileError';
    this.code = code;
    this.file = file;
    this.keyPath = keyPath;
  }
}
