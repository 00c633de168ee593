export {
  loadProject,
  type ApiDefinition,
  type Project,
  type StageDefinition,
} from './project-file.js';
export { ProjectFileError, type ProjectFileErrorCode } from './errors.js';
export { projectFileSchema, RUNTIMES, type ProjectFile, type ProjectFileInput } from './schema.js';
export { restApiIdFor, stableId } from '../support/stable-id.js';
