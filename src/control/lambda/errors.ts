// Lambda's control-API errors. Lambda answers `x-amzn-ErrorType: <Type>` and a JSON body
// `{"Type": "User", "message": "…"}`; @aws-sdk/client-lambda takes the error name from the header
// and its message from `message` (or `Message`).
// https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
import { LambdaError } from '../errors.js';

export const notFound = (message: string) =>
  new LambdaError(404, 'ResourceNotFoundException', message);

export const functionNotFound = (arn: string) => notFound(`Function not found: ${arn}`);

export const conflict = (message: string) =>
  new LambdaError(409, 'ResourceConflictException', message);

export const invalidParameter = (message: string) =>
  new LambdaError(400, 'InvalidParameterValueException', message);

/** Smithy's constraint failures, worded as AWS words them. */
export const validation = (message: string) => new LambdaError(400, 'ValidationException', message);

export const preconditionFailed = () =>
  new LambdaError(
    412,
    'PreconditionFailedException',
    'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
  );
