// `${stageVariables.NAME}` in an integration URI: an HTTP endpoint or a Lambda function the stage
// chooses. An unset variable is empty.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/aws-api-gateway-stage-variables-reference.html
const STAGE_VARIABLE = /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g;

export function hasStageVariables(text: string): boolean {
  return text.includes('${stageVariables.');
}

export function withStageVariables(text: string, variables: Record<string, string>): string {
  return hasStageVariables(text)
    ? text.replace(STAGE_VARIABLE, (_, name: string) =>
        Object.hasOwn(variables, name) ? variables[name]! : '',
      )
    : text;
}
