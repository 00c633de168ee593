"""Sallyport's Python runtime: runs an unchanged Lambda Python handler against the Lambda Runtime API.

Standard library only. Behaviour follows AWS's documentation and, for exact shapes and wording,
AWS's runtime interface client (aws-lambda-python-runtime-interface-client, awslambdaric):
  https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
  https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html
  https://docs.aws.amazon.com/lambda/latest/dg/python-context.html
  https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html
  https://docs.aws.amazon.com/lambda/latest/dg/python-logging.html
"""

import decimal
import importlib
import json
import logging
import math
import os
import socket
import sys
import time
import traceback

API_VERSION = "2018-06-01"
# The error log's lines are one CloudWatch event: joined with carriage returns, as AWS's runtime does.
ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"

MARSHAL_ERROR = "Runtime.MarshalError"
UNMARSHAL_ERROR = "Runtime.UnmarshalError"
USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"


class FaultException(Exception):
    """An error of the runtime itself, reported with a `Runtime.*` errorType."""

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.msg = msg
        self.exception_type = exception_type
        self.trace = trace


# ---------------------------------------------------------------------------------------------
# The Runtime API client: one keep-alive connection, HTTP/1.1 written and read by hand (http.client
# parses each answer's headers with the email package: more CPU than a small handler). A result
# waits to go out with the following `next`, in one write (HTTP pipelining): the server handles a
# connection's requests in order, as Lambda's does, so the runtime is ready one hop sooner.


class RuntimeProtocolError(Exception):
    """The Runtime API answered something that is not HTTP/1.1."""


class _Headers(dict):
    """Header names in lower case; get() takes them in any case, as http.client's headers do."""

    def get(self, name, default=None):
        return dict.get(self, name.lower(), default)


class RuntimeClient:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        self.address = (host, int(port))
        self.host_header = address.encode("latin-1")
        self.sock = None
        self.buffer = b""
        # A posted result, sent with the next `next`.
        self.outgoing = b""

    def _exchange(self, data, answers):
        """Sends `data` (that many requests), returns the last answer."""
        for attempt in (0, 1):
            try:
                if self.sock is None:
                    self.sock = socket.create_connection(self.address)
                    self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                    self.buffer = b""
                self.sock.sendall(data)
                for _ in range(answers):
                    answer = self._read_answer()
                return answer
            except (RuntimeProtocolError, ConnectionError):
                # The server closed a kept-alive connection: reconnect once, then give up.
                if self.sock is not None:
                    self.sock.close()
                self.sock = None
                if attempt == 1:
                    raise

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the Runtime API closed the connection")
        self.buffer += chunk

    def _read_answer(self):
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end != -1:
                break
            self._recv()
        lines = self.buffer[:head_end].decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise RuntimeProtocolError(lines[0])
        status = int(parts[1])
        headers = _Headers()
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        offset = head_end + 4
        length = headers.get("content-length")
        if length is not None:
            end = offset + int(length)
            while len(self.buffer) < end:
                self._recv()
            body = self.buffer[offset:end]
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            pieces = []
            while True:
                line_end = self.buffer.find(b"\r\n", offset)
                if line_end == -1:
                    self._recv()
                    continue
                size = int(self.buffer[offset:line_end].split(b";")[0], 16)
                end = line_end + 2 + size + 2
                while len(self.buffer) < end:
                    self._recv()
                if size == 0:
                    break
                pieces.append(self.buffer[line_end + 2 : end - 2])
                offset = end
            body = b"".join(pieces)
        else:
            end = offset
            body = b""
        self.buffer = self.buffer[end:]
        return status, headers, body

    def _request(self, method, path, body=b"", headers=()):
        lines = [
            b"%s /%s%s HTTP/1.1" % (method.encode(), API_VERSION.encode(), path.encode()),
            b"Host: " + self.host_header,
        ]
        for name, value in headers:
            lines.append(("%s: %s" % (name, value)).encode("latin-1", "replace"))
        if method == "POST":
            lines.append(b"Content-Length: %d" % len(body))
        return b"\r\n".join(lines) + b"\r\n\r\n" + body

    def next(self):
        data = self.outgoing + self._request("GET", "/runtime/invocation/next")
        answers = 2 if self.outgoing else 1
        self.outgoing = b""
        status, headers, body = self._exchange(data, answers)
        if status != 200:
            raise ConnectionError("next: HTTP %d %r" % (status, body))
        return headers, body

    def post_response(self, request_id, body, content_type):
        self.outgoing = self._request(
            "POST",
            "/runtime/invocation/%s/response" % request_id,
            body,
            (("Content-Type", content_type),),
        )

    def post_error(self, request_id, error):
        self.outgoing = self._request(
            "POST",
            "/runtime/invocation/%s/error" % request_id,
            to_json(error).encode("utf-8"),
            (
                ("Content-Type", "application/json"),
                ("Lambda-Runtime-Function-Error-Type", error["errorType"] or "Runtime.Unknown"),
            ),
        )

    def post_init_error(self, error):
        self._exchange(
            self._request(
                "POST",
                "/runtime/init/error",
                to_json(error).encode("utf-8"),
                (
                    ("Content-Type", "application/json"),
                    ("Lambda-Runtime-Function-Error-Type", error["errorType"] or "Runtime.Unknown"),
                ),
            ),
            1,
        )


# ---------------------------------------------------------------------------------------------
# JSON: what AWS's marshaller produces (Decimal as a number, NaN decimals as NaN; the
# python3.12 runtime alone keeps non-ASCII characters unescaped).


class _Encoder(json.JSONEncoder):
    def default(self, obj):
        if isinstance(obj, decimal.Decimal):
            if obj.is_nan():
                return math.nan
            return float(obj) if obj != obj.to_integral_value() else int(obj)
        return super().default(obj)


_ENCODER = _Encoder(ensure_ascii=os.environ.get("AWS_EXECUTION_ENV") != "AWS_Lambda_python3.12")


def to_json(obj):
    return _ENCODER.encode(obj)


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(MARSHAL_ERROR, "Unable to marshal response: {}".format(str(e)), None)


def unmarshal_request(body):
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(str(e)), None)


# ---------------------------------------------------------------------------------------------
# The handler: `module.function`, the module a dotted or slashed path inside LAMBDA_TASK_ROOT.


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, str(e)))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(
            IMPORT_MODULE_ERROR, "Unable to import module '{}': {}".format(modname, str(e))
        )
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            USER_CODE_SYNTAX_ERROR,
            "Syntax error in module '{}': {}".format(modname, str(e)),
            trace,
        )
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            HANDLER_NOT_FOUND, "Handler '{}' missing on module '{}'".format(fname, modname)
        )


# ---------------------------------------------------------------------------------------------
# The context object. https://docs.aws.amazon.com/lambda/latest/dg/python-context.html


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]


class Client(object):
    __slots__ = [
        "installation_id",
        "app_title",
        "app_version_name",
        "app_version_code",
        "app_package_name",
    ]


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]


def _from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field, None))
    return obj


class LambdaContext(object):
    def __init__(self, invoke_id, client_context, cognito_identity, deadline_ms, invoked_function_arn):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.client_context = _from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _from_dict(Client, self.client_context.client)
        self.identity = _from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        remaining = self._deadline_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},"
            "function_name={},memory_limit_in_mb={},function_version={},invoked_function_arn={},"
            "client_context={},identity={}])"
        ).format(
            self.aws_request_id,
            self.log_group_name,
            self.log_stream_name,
            self.function_name,
            self.memory_limit_in_mb,
            self.function_version,
            self.invoked_function_arn,
            self.client_context,
            self.identity,
        )


def _json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            LAMBDA_CONTEXT_UNMARSHAL_ERROR, "Unable to parse {} JSON: {}".format(name, str(e))
        )


# ---------------------------------------------------------------------------------------------
# Errors: {errorMessage, errorType, requestId, stackTrace}, the trace without this file's frames.
# https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def user_frames(tb):
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if "/bootstrap.py" not in frame[0]:
            return frames[i:]
    return frames


def error_from_exception(exc_info, invoke_id=None):
    etype, value, tb = exc_info
    return make_error(str(value), etype.__name__, traceback.format_list(user_frames(tb)), invoke_id)


def log_error(error):
    description = "[ERROR]"
    if error.get("errorType"):
        description += " " + error["errorType"]
    if error.get("errorMessage"):
        if error.get("errorType"):
            description += ":"
        description += " " + error["errorMessage"]
    lines = [description]
    if error.get("stackTrace") is not None:
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append(ERROR_LOG_IDENT * (len(line) - len(stripped)) + stripped)
    sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(lines) + "\n")


# ---------------------------------------------------------------------------------------------
# Logging: the root logger writes `[LEVEL]\t<time>Z\t<request id>\t<message>`, as on Lambda.

_REQUEST_ID = None


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _REQUEST_ID or ""
        return True


class _StdoutHandler(logging.Handler):
    def emit(self, record):
        sys.stdout.write(self.format(record))


def setup_logging():
    logging.Formatter.converter = time.gmtime
    handler = _StdoutHandler()
    handler.setFormatter(
        logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
            "%Y-%m-%dT%H:%M:%S",
        )
    )
    handler.addFilter(_RequestIdFilter())
    logging.getLogger().addHandler(handler)


class _Unbuffered(object):
    """print() reaches the log before the runtime posts its answer."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        self.stream.write(msg)
        self.stream.flush()

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


# ---------------------------------------------------------------------------------------------


def handle_event(client, request_handler, headers, body):
    invoke_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    error = None
    try:
        context = LambdaContext(
            invoke_id,
            _json_header(headers.get("Lambda-Runtime-Client-Context"), "Client Context"),
            _json_header(headers.get("Lambda-Runtime-Cognito-Identity"), "Cognito Identity"),
            int(headers.get("Lambda-Runtime-Deadline-Ms")),
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
        )
        event = unmarshal_request(body)
        result, content_type = marshal_response(request_handler(event, context))
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace, invoke_id)
    except Exception:
        error = error_from_exception(sys.exc_info(), invoke_id)
    if error is not None:
        log_error(error)
        client.post_error(invoke_id, error)
    else:
        client.post_response(invoke_id, result, content_type)


def main():
    global _REQUEST_ID
    sys.stdout = _Unbuffered(sys.stdout)
    sys.stderr = _Unbuffered(sys.stderr)
    # The code folder comes first on the import path; this runtime's own folder is not on it.
    task_root = os.environ["LAMBDA_TASK_ROOT"]
    if sys.path and os.path.abspath(sys.path[0]) == os.path.dirname(os.path.abspath(__file__)):
        sys.path.pop(0)
    sys.path.insert(0, task_root)
    client = RuntimeClient(os.environ["AWS_LAMBDA_RUNTIME_API"])
    setup_logging()

    try:
        request_handler = get_handler(os.environ["_HANDLER"])
    except FaultException as e:
        error = make_error(e.msg, e.exception_type, e.trace)
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)
    except Exception:
        error = error_from_exception(sys.exc_info())
        log_error(error)
        client.post_init_error(error)
        sys.exit(1)

    while True:
        try:
            headers, body = client.next()
        except (OSError, RuntimeProtocolError):
            # The gateway is gone (or stopped this environment): nothing left to serve.
            sys.exit(0)
        _REQUEST_ID = headers.get("Lambda-Runtime-Aws-Request-Id")
        trace_id = headers.get("Lambda-Runtime-Trace-Id")
        if trace_id is not None:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        handle_event(client, request_handler, headers, body)


if __name__ == "__main__":
    main()
