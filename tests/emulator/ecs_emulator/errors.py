"""Error types and the error body shapes of Nova, Keystone, ECS and API gateways."""

NOVA_FAULT_NAMES = {
    400: "badRequest",
    401: "unauthorized",
    403: "forbidden",
    404: "itemNotFound",
    405: "badMethod",
    406: "computeFault",  # Nova: {"computeFault": {"code": 406, ...}}
    409: "conflictingRequest",
    413: "overLimit",
    415: "badMediaType",
    429: "overLimit",
    501: "notImplemented",
    503: "serviceUnavailable",
}

KEYSTONE_TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    413: "Request Entity Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
}

AUTH_REQUIRED = "The request you have made requires authentication."


class ApiError(Exception):
    """An API error; ``style`` picks the body shape (nova, keystone, ecs, apig, plain)."""

    def __init__(self, status, message, style="nova", code=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.style = style
        self.code = code
        self.headers = headers or {}

    def body(self, request_id=None):
        return error_body(self.status, self.message, self.style, self.code, request_id)


def nova_body(status, message):
    return {NOVA_FAULT_NAMES.get(status, "computeFault"): {"code": status, "message": message}}


def keystone_body(status, message):
    return {"error": {"code": status, "title": KEYSTONE_TITLES.get(status, "Error"), "message": message}}


def ecs_body(code, message):
    return {"error": {"code": code, "message": message, "details": []}}


def apig_body(code, message, request_id=None):
    return {"error_code": code, "error_msg": message, "request_id": (request_id or "").replace("req-", "")}


def error_body(status, message, style="nova", code=None, request_id=None):
    if style == "keystone":
        return keystone_body(status, message)
    if style == "ecs":
        return ecs_body(code or "Ecs.0000", message)
    if style == "apig":
        return apig_body(code or "APIGW.0301", message, request_id)
    if style == "plain":
        return {"error": message}
    return nova_body(status, message)


GATEWAY_BODIES = {
    502: ("text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                       "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"),
    503: ("text/plain", "Service Unavailable: the server is temporarily unable to handle the request.\n"),
    504: ("text/html", "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n"
                       "<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"),
}


# The ECS error codes the emulator answers on /v1, with the HTTP status and the "Error Message"
# column of appendix/error_codes.rst (eu-de and Swiss agree on these unless noted).
ECS_ERRORS = {
    "Ecs.0005": (400, "Invalid parameter values. Contact customer service."),
    "Ecs.0023": (400, "project_id in token mismatches with project_id in url."),
    "Ecs.0029": (400, "The flavor does not exist."),
    "Ecs.0100": (400, "The ECS status does not meet requirements. Make the ECS in the required status and try again."),
    "Ecs.0114": (404, "The ECS does not exist."),
    "Ecs.0319": (400, "Insufficient resources for this flavor. Try another flavor."),
    "Ecs.0603": (501, "The commands are being executed. Try again later."),
    "Ecs.0605": (400, "ECS locked."),
    "Ecs.0803": (400, "When modifying the specifications of an ECS created on a DeH, specify the DeH."),  # Swiss
    "Ecs.0804": (400, "The ECS flavor cannot be switched to the target flavor. Change the target flavor."),  # Swiss
    "Ecs.0805": (400, "A large-memory ECS cannot be switched to a general computing ECS."),  # Swiss
    "Ecs.0810": (400, "The ECS flavor is the same as the target flavor."),
    "Common.0002": (400, "The request body cannot be left blank."),
    "Common.0011": (400, "Failed to query system tasks."),
    "Common.1503": (429, "Api flow control Error because %s."),  # Swiss: HTTP 503
}


def ecs_error(code, message=None, status=None):
    """An ApiError in the ECS shape with the documented status and message of ``code``."""
    default_status, default_message = ECS_ERRORS[code]
    return ApiError(status or default_status, message or default_message, style="ecs", code=code)
