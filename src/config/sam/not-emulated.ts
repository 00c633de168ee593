// What a template may say that changes nothing a local gateway does (accepted, listed once at
// start-up), and what changes request handling but cannot be reproduced (one clear error).

/** Resource types accepted and listed: they configure AWS, not how a request is answered. */
export const ACCEPTED_RESOURCE_TYPES: Record<string, string> = {
  'AWS::Lambda::Permission': 'invoke permissions (API Gateway may call every function)',
  'AWS::IAM::Role': 'IAM (functions run with the permissions of the machine)',
  'AWS::IAM::Policy': 'IAM (functions run with the permissions of the machine)',
  'AWS::IAM::ManagedPolicy': 'IAM (functions run with the permissions of the machine)',
  'AWS::Logs::LogGroup': 'log groups (function output goes to Sallyport’s log)',
  'AWS::Lambda::Version': 'versions and aliases (the latest code always runs)',
  'AWS::Lambda::Alias': 'versions and aliases (the latest code always runs)',
  'AWS::Lambda::LayerVersion': 'layers (the code folder must hold its dependencies)',
  'AWS::Serverless::LayerVersion': 'layers (the code folder must hold its dependencies)',
  'AWS::ApiGateway::Account': 'API Gateway account settings (CloudWatch role)',
  'AWS::ApiGateway::DomainName': 'custom domain names',
  'AWS::ApiGateway::BasePathMapping': 'custom domain names',
  'AWS::CertificateManager::Certificate': 'certificates',
  'AWS::Route53::RecordSet': 'DNS records',
  'AWS::CloudWatch::Alarm': 'alarms',
  'AWS::S3::Bucket': 'other AWS services (functions reach the real ones, if any)',
  'AWS::S3::BucketPolicy': 'other AWS services (functions reach the real ones, if any)',
  'AWS::DynamoDB::Table': 'other AWS services (functions reach the real ones, if any)',
  'AWS::Serverless::SimpleTable': 'other AWS services (functions reach the real ones, if any)',
  'AWS::SQS::Queue': 'other AWS services (functions reach the real ones, if any)',
  'AWS::SNS::Topic': 'other AWS services (functions reach the real ones, if any)',
  'AWS::Events::Rule': 'other AWS services (functions reach the real ones, if any)',
  'AWS::SSM::Parameter': 'other AWS services (functions reach the real ones, if any)',
  'AWS::SecretsManager::Secret': 'other AWS services (functions reach the real ones, if any)',
  'AWS::KMS::Key': 'other AWS services (functions reach the real ones, if any)',
};

/** Resource types that would change how requests are answered and are not reproduced. */
export const REFUSED_RESOURCE_TYPES: Record<string, string> = {
  'AWS::Serverless::HttpApi':
    'HTTP APIs (API Gateway v2) are not served: Sallyport serves REST APIs',
  'AWS::ApiGatewayV2::Api':
    'HTTP and WebSocket APIs (API Gateway v2) are not served: Sallyport serves REST APIs',
  'AWS::ApiGateway::UsagePlan':
    'usage plans are not read from templates yet: declare them in sallyport.yaml (usagePlans)',
  'AWS::ApiGateway::ApiKey':
    'API keys are not read from templates yet: declare them in sallyport.yaml (usagePlans)',
  'AWS::ApiGateway::UsagePlanKey':
    'API keys are not read from templates yet: declare them in sallyport.yaml (usagePlans)',
  'AWS::ApiGateway::GatewayResponse':
    'put gateway responses in the API definition (x-amazon-apigateway-gateway-responses)',
  'AWS::ApiGateway::Model': 'put models in the API definition (definitions / components.schemas)',
  'AWS::ApiGateway::RequestValidator':
    'put validators in the API definition (x-amazon-apigateway-request-validators)',
  'AWS::Serverless::Application': 'nested applications are not expanded',
  'AWS::CloudFormation::Stack': 'nested stacks are not expanded',
  'AWS::WAFv2::WebACLAssociation': 'AWS WAF is not emulated',
};

/** Function properties with no local effect: property → the kind listed. */
export const ACCEPTED_FUNCTION_PROPERTIES: Record<string, string> = {
  Policies: 'IAM (functions run with the permissions of the machine)',
  Role: 'IAM (functions run with the permissions of the machine)',
  RolePath: 'IAM (functions run with the permissions of the machine)',
  PermissionsBoundary: 'IAM (functions run with the permissions of the machine)',
  AssumeRolePolicyDocument: 'IAM (functions run with the permissions of the machine)',
  Description: 'descriptions and tags',
  Tags: 'descriptions and tags',
  PropagateTags: 'descriptions and tags',
  Tracing: 'X-Ray tracing',
  TracingConfig: 'X-Ray tracing',
  AutoPublishAlias: 'versions and aliases (the latest code always runs)',
  AutoPublishCodeSha256: 'versions and aliases (the latest code always runs)',
  VersionDescription: 'versions and aliases (the latest code always runs)',
  DeploymentPreference: 'versions and aliases (the latest code always runs)',
  ProvisionedConcurrencyConfig: 'concurrency settings',
  ReservedConcurrentExecutions: 'concurrency settings',
  VpcConfig: 'networking (VPC)',
  KmsKeyArn: 'encryption keys',
  Layers: 'layers (the code folder must hold its dependencies)',
  Architectures: 'architectures (functions run on this machine’s)',
  DeadLetterQueue: 'asynchronous invocation settings',
  DeadLetterConfig: 'asynchronous invocation settings',
  EventInvokeConfig: 'asynchronous invocation settings',
  EphemeralStorage: 'ephemeral storage size',
  LoggingConfig: 'log settings (function output goes to Sallyport’s log)',
  SnapStart: 'SnapStart',
  RuntimeManagementConfig: 'runtime management',
  CodeSigningConfigArn: 'code signing',
  FunctionUrlConfig: 'function URLs (functions are reached through the API only)',
  RecursiveLoop: 'recursive loop detection',
  FileSystemConfigs: 'file systems (EFS)',
};
