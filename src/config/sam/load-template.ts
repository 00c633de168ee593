// `serve --template template.yaml`: a SAM (or plain CloudFormation) template as a Sallyport project.
// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification.html
import { DEFAULT_SETTINGS } from '../../model/types.js';
import type { Project } from '../project-file.js';
import { readProjectYaml } from '../source/read-project-yaml.js';
import { toProject, type ConvertedFunction } from '../source/to-project.js';
import { convertRestApis } from './apigateway-resources.js';
import { convertServerlessApis } from './apis.js';
import { convertFunction } from './functions.js';
import { ACCEPTED_RESOURCE_TYPES, REFUSED_RESOURCE_TYPES } from './not-emulated.js';
import { Template } from './template.js';

const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
// Fn::Length and Fn::ToJsonString come with this transform; both are resolved here.
const LANGUAGE_EXTENSIONS = 'AWS::LanguageExtensions';
const TOP_LEVEL = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Globals',
  'Rules',
]);
const HANDLED_TYPES = new Set([
  'AWS::Serverless::Function',
  'AWS::Lambda::Function',
  'AWS::Serverless::Api',
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Stage',
]);
const RESOURCE_ATTRIBUTES = [
  'DependsOn',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'UpdatePolicy',
  'CreationPolicy',
];

export interface TemplateOptions {
  /** `--parameter-overrides`, by parameter name. */
  parameterOverrides?: Record<string, string>;
}

/** `pathArg` is the template or the folder holding template.yaml / template.yml. */
export async function loadSamTemplate(
  pathArg: string,
  options: TemplateOptions = {},
): Promise<Project> {
  const { file, yaml } = await readProjectYaml(pathArg, ['template.yaml', 'template.yml']);
  const template = new Template(yaml, file, DEFAULT_SETTINGS, options.parameterOverrides ?? {});
  checkTopLevel(template);
  const functions: ConvertedFunction[] = [];
  for (const resource of template.resources.values()) {
    const path = ['Resources', resource.logicalId];
    const raw = (template.root.Resources as Record<string, Record<string, unknown>>)[
      resource.logicalId
    ]!;
    for (const key of RESOURCE_ATTRIBUTES)
      if (raw[key] !== undefined) template.accept('deployment order and policies', key);
    if (raw.Metadata !== undefined) template.accept('build settings (sam build)', 'Metadata');
    const { type } = resource;
    if (type === 'AWS::Serverless::Function' || type === 'AWS::Lambda::Function')
      functions.push(convertFunction(template, resource));
    else if (HANDLED_TYPES.has(type)) continue;
    else if (ACCEPTED_RESOURCE_TYPES[type]) template.accept(ACCEPTED_RESOURCE_TYPES[type], type);
    else if (REFUSED_RESOURCE_TYPES[type])
      template.fail([...path, 'Type'], `${type}: ${REFUSED_RESOURCE_TYPES[type]}`);
    else
      template.fail(
        [...path, 'Type'],
        `unknown resource type ${type}: Sallyport cannot say whether it changes how requests are answered`,
      );
  }
  const apis = [...convertServerlessApis(template), ...convertRestApis(template)];
  return toProject({ file, functions, apis, notEmulated: template.notEmulatedLines() });
}

function checkTopLevel(template: Template): void {
  for (const key of Object.keys(template.root))
    if (!TOP_LEVEL.has(key)) template.fail([key], 'not a template section (a typo?)');
  const transforms = template.root.Transform === undefined ? [] : [template.root.Transform].flat();
  for (const [i, transform] of transforms.entries())
    if (transform !== SAM_TRANSFORM && transform !== LANGUAGE_EXTENSIONS)
      template.fail(
        ['Transform', i],
        `the transform ${JSON.stringify(transform)} is not run locally (${SAM_TRANSFORM} and ${LANGUAGE_EXTENSIONS} are)`,
      );
  const usesSam = [...template.resources.values()].some((r) =>
    r.type.startsWith('AWS::Serverless::'),
  );
  if (usesSam && !transforms.includes(SAM_TRANSFORM))
    template.fail(['Transform'], `AWS::Serverless::* resources need "Transform: ${SAM_TRANSFORM}"`);
  if (template.root.Outputs !== undefined) template.accept('stack outputs', 'Outputs');
  if (template.root.Rules !== undefined) template.accept('parameter rules', 'Rules');
}
