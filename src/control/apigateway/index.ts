export { registerApiGatewayRoutes } from './routes.js';
export type { ApiGatewayDeps, ModelDeps } from './deps.js';
export { createDeployment, checkDeployable, type CreateDeploymentInput } from './deployments.js';
export { putRestApiFromOpenApi, type PutRestApiInput, type PutMode } from './import-export.js';
export { readWorkingCopy } from './entities.js';
export { applyAccessLogSettings } from './stages.js';
