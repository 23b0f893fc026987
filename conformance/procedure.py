#!/usr/bin/env python3
"""Conformance: the official Alibaba Cloud Python SDKs perform the "let a RAM user run Cloud Assistant commands
as a regular user" procedure against acs-emulator, exactly as a user of those SDKs would.

Linux: as the account, create the RAM user (console password + AccessKey), the custom policy commandUserPolicy
(allow user01/user02) and attach it with AliyunECSReadOnlyAccess; then, with the NEW user's AccessKey, RunCommand
`whoami` as user01 (allowed, output `user01`) and as root (Forbidden.RAM).

Windows: additionally kmsPolicy and AliyunOOSReadOnlyAccess for the user, the instance role AxtSecretRamRole
(trusted by ecs.aliyuncs.com, allowed kms:GetSecretValue + oos:GetSecretParameter) attached to the instance, and
the encrypted OOS parameter axtSecretPassword; then RunCommand as user01 with WindowsPasswordName (allowed, output
`<host>\\user01`) and as system (Forbidden.RAM).

Beyond the procedure: KMS, OOS and ECS calls as the account; ClientToken idempotency of RunCommand; authorization
before existence (a user without policies is refused unknown ids with Forbidden.RAM, the account gets NotFound);
KMS key-state refusals; and, with --throttled-list-users (the emulator started with
`--fault ListUsers=Throttling#1,retry-after=1`), how the SDK surfaces a throttled call.

Usage: procedure.py --endpoint 127.0.0.1:PORT --signature v3|v1 [--throttled-list-users]
                    [--access-key-id ID --access-key-secret SECRET]
Prints one PASS/FAIL line per check and `N passed, M failed`; exits 1 when anything failed.
"""

from __future__ import annotations

import argparse
import base64
import json
import pathlib
import sys
import time
import traceback

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client as EcsClient
from alibabacloud_kms20160120 import models as kms_models
from alibabacloud_kms20160120.client import Client as KmsClient
from alibabacloud_oos20190601 import models as oos_models
from alibabacloud_oos20190601.client import Client as OosClient
from alibabacloud_ram20150501 import models as ram_models
from alibabacloud_ram20150501.client import Client as RamClient
from alibabacloud_tea_openapi import exceptions as open_api_exceptions
from alibabacloud_tea_openapi import utils_models as open_api_models
from darabonba.core import DaraCore

HERE = pathlib.Path(__file__).resolve().parent
REGION = "cn-hangzhou"
LINUX_INSTANCE = "i-emu-linux-0001"
WINDOWS_INSTANCE = "i-emu-windows-0001"
WINDOWS_HOST = "demo-windows"
RAM_USER = "commandUser"
# A RAM user with an AccessKey and no policy at all.
BARE_USER = "noPolicyUser"
ROLE = "AxtSecretRamRole"
PASSWORD_PARAM = "axtSecretPassword"
# The demo seed's Windows password of user01 (a test fixture, not a real secret).
WINDOWS_PASSWORD = "Emu-Passw0rd-user01"
ROOT_KEY_ID = "LTAIEmulatorRootKey0001"
ROOT_KEY_SECRET = "EmulatorRootSecret000000000001"


class Recorder:
    """Counts checks and remembers how each request on the wire was signed."""

    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0
        self.signatures: set[str] = set()
        self.requests: dict[str, int] = {}

    def check(self, name: str, ok: bool, detail: str = "") -> None:
        if ok:
            self.passed += 1
            print(f"PASS {name}")
        else:
            self.failed += 1
            print(f"FAIL {name}: {detail}")


RECORDER = Recorder()
_original_do_action = DaraCore.do_action


def _recording_do_action(request, runtime_options=None):
    """Notes the signature scheme and the action of every request the SDK sends, then sends it unchanged."""
    query = request.query or {}
    headers = {k.lower(): v for k, v in (request.headers or {}).items()}
    action = query.get("Action") or headers.get("x-acs-action", "")
    RECORDER.requests[action] = RECORDER.requests.get(action, 0) + 1
    if "Signature" in query and query.get("SignatureMethod") == "HMAC-SHA1":
        RECORDER.signatures.add("v1")
    elif headers.get("authorization", "").startswith("ACS3-HMAC-SHA256"):
        RECORDER.signatures.add("v3")
    else:
        RECORDER.signatures.add("other")
    return _original_do_action(request, runtime_options)


DaraCore.do_action = staticmethod(_recording_do_action)


def config(endpoint: str, signature: str, key_id: str, key_secret: str) -> open_api_models.Config:
    cfg = open_api_models.Config(
        access_key_id=key_id,
        access_key_secret=key_secret,
        endpoint=endpoint,
        protocol="http",
        region_id=REGION,
        read_timeout=10000,
        connect_timeout=5000,
    )
    if signature == "v1":
        # tea-openapi 0.4.x selects the legacy RPC signature (HMAC-SHA1, SignatureVersion 1.0) with
        # signature_algorithm "v2"; without it every call is ACS3-HMAC-SHA256.
        cfg.signature_algorithm = "v2"
    return cfg


class Clients:
    def __init__(self, endpoint: str, signature: str, key_id: str, key_secret: str) -> None:
        cfg = lambda: config(endpoint, signature, key_id, key_secret)  # noqa: E731
        self.ram = RamClient(cfg())
        self.ecs = EcsClient(cfg())
        self.oos = OosClient(cfg())
        self.kms = KmsClient(cfg())


def policy(name: str) -> str:
    return (HERE / "policies" / name).read_text()


def error_code(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    if code:
        return str(code)
    data = getattr(exc, "data", None) or {}
    return str(data.get("Code", "")) if isinstance(data, dict) else ""


def run_command(ecs: EcsClient, instance: str, kind: str, user: str, password_name: str | None = None):
    request = ecs_models.RunCommandRequest(
        region_id=REGION,
        type=kind,
        command_content="whoami",
        instance_id=[instance],
        username=user,
        windows_password_name=password_name,
        timeout=60,
    )
    return ecs.run_command(request).body


def wait_result(ecs: EcsClient, invoke_id: str):
    """Polls DescribeInvocationResults until the run is terminal; returns the result."""
    terminal = {"Success", "Failed", "Timeout", "Error", "Cancelled", "Terminated", "Invalid", "Aborted"}
    for _ in range(100):
        body = ecs.describe_invocation_results(
            ecs_models.DescribeInvocationResultsRequest(
                region_id=REGION, invoke_id=invoke_id, content_encoding="PlainText"
            )
        ).body
        results = body.invocation.invocation_results.invocation_result
        if results and results[0].invocation_status in terminal:
            return results[0]
        time.sleep(0.1)
    raise TimeoutError(f"invocation {invoke_id} did not finish")


def expect_error(name: str, action, code: str, status: int, extra=None) -> None:
    """The call must fail with `code` and HTTP `status` as the SDK exposes them (`code`, `status_code`);
    `extra(exc)` returns "" when the rest of the exception is as expected, else what is wrong."""
    try:
        action()
    except Exception as exc:  # the SDK raises its own exception types; compare by code
        got, got_status = error_code(exc), getattr(exc, "status_code", None)
        wrong = extra(exc) if extra and got == code and got_status == status else ""
        ok = got == code and got_status == status and not wrong
        RECORDER.check(
            name, ok, wrong or f"expected {code} (HTTP {status}), got {got or repr(exc)} (HTTP {got_status})"
        )
        return
    RECORDER.check(name, False, f"the call succeeded, expected {code}")


def expect_denied(name: str, action, auth_action: str) -> None:
    """The call must fail with Forbidden.RAM (HTTP 403), and the SDK must surface AccessDeniedDetail and the
    request id."""

    def detail_wrong(exc: BaseException) -> str:
        detail = getattr(exc, "access_denied_detail", None) or {}
        ok = (
            detail.get("AuthAction") == auth_action
            and detail.get("NoPermissionType") in ("ImplicitDeny", "ExplicitDeny")
            and bool(getattr(exc, "request_id", None))
        )
        return "" if ok else f"expected AccessDeniedDetail on {auth_action} and a request id, got {detail}"

    expect_error(name, action, "Forbidden.RAM", 403, detail_wrong)


def expect_allowed_output(name: str, ecs: EcsClient, action, expected_output: str) -> None:
    try:
        invoke_id = action().invoke_id
        result = wait_result(ecs, invoke_id)
    except Exception as exc:
        RECORDER.check(name, False, f"{error_code(exc) or type(exc).__name__}: {exc}")
        return
    output = (result.output or "").strip()
    ok = result.invocation_status == "Success" and output == expected_output
    RECORDER.check(
        name,
        ok,
        f"status={result.invocation_status} output={output!r} error={result.error_code} {result.error_info}",
    )


def linux_procedure(root: Clients, endpoint: str, signature: str) -> Clients:
    """Creates commandUser with the procedure's policies; returns clients signed with its NEW AccessKey."""
    ram = root.ram
    ram.create_user(ram_models.CreateUserRequest(user_name=RAM_USER, display_name=RAM_USER))
    ram.create_login_profile(
        ram_models.CreateLoginProfileRequest(
            user_name=RAM_USER, password="Conformance-Passw0rd!", password_reset_required=False
        )
    )
    key = ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name=RAM_USER)).body.access_key
    ram.create_policy(
        ram_models.CreatePolicyRequest(
            policy_name="commandUserPolicy",
            policy_document=policy("commandUserPolicy-allow-user01-user02.json"),
            description="Run Cloud Assistant commands only as user01 or user02",
        )
    )
    ram.attach_policy_to_user(
        ram_models.AttachPolicyToUserRequest(policy_type="Custom", policy_name="commandUserPolicy", user_name=RAM_USER)
    )
    ram.attach_policy_to_user(
        ram_models.AttachPolicyToUserRequest(
            policy_type="System", policy_name="AliyunECSReadOnlyAccess", user_name=RAM_USER
        )
    )
    user = ram.get_user(ram_models.GetUserRequest(user_name=RAM_USER)).body.user
    RECORDER.check("linux: RAM user created", user.user_name == RAM_USER, repr(user.user_name))
    return Clients(endpoint, signature, key.access_key_id, key.access_key_secret)


def linux_checks(user: Clients) -> None:
    ecs = user.ecs
    status = ecs.describe_cloud_assistant_status(
        ecs_models.DescribeCloudAssistantStatusRequest(region_id=REGION, instance_id=[LINUX_INSTANCE])
    ).body
    agent = status.instance_cloud_assistant_status_set.instance_cloud_assistant_status[0]
    RECORDER.check("linux: agent status readable by the user", agent.cloud_assistant_status == "true", repr(agent))
    expect_allowed_output(
        "linux: user01 allowed, whoami prints user01",
        ecs,
        lambda: run_command(ecs, LINUX_INSTANCE, "RunShellScript", "user01"),
        "user01",
    )
    expect_denied(
        "linux: root denied with Forbidden.RAM",
        lambda: run_command(ecs, LINUX_INSTANCE, "RunShellScript", "root"),
        "ecs:RunCommand",
    )


def windows_procedure(root: Clients) -> None:
    ram = root.ram
    ram.create_policy(
        ram_models.CreatePolicyRequest(policy_name="kmsPolicy", policy_document=policy("kmsPolicy-ram-user.json"))
    )
    ram.attach_policy_to_user(
        ram_models.AttachPolicyToUserRequest(policy_type="Custom", policy_name="kmsPolicy", user_name=RAM_USER)
    )
    ram.attach_policy_to_user(
        ram_models.AttachPolicyToUserRequest(
            policy_type="System", policy_name="AliyunOOSReadOnlyAccess", user_name=RAM_USER
        )
    )
    ram.create_role(
        ram_models.CreateRoleRequest(
            role_name=ROLE,
            assume_role_policy_document=policy("trust-policy-ecs-service.json"),
            description="Lets the Cloud Assistant agent read the Windows password",
        )
    )
    ram.create_policy(
        ram_models.CreatePolicyRequest(
            policy_name="AxtSecretRamRolePolicy",
            policy_document=policy("instance-role-policy-windows-password.json"),
        )
    )
    ram.attach_policy_to_role(
        ram_models.AttachPolicyToRoleRequest(
            policy_type="Custom", policy_name="AxtSecretRamRolePolicy", role_name=ROLE
        )
    )
    attached = root.ecs.attach_instance_ram_role(
        ecs_models.AttachInstanceRamRoleRequest(
            region_id=REGION, instance_ids=json.dumps([WINDOWS_INSTANCE]), ram_role_name=ROLE
        )
    ).body
    RECORDER.check("windows: role attached to the instance", attached.fail_count == 0, repr(attached.to_map()))
    described = root.ecs.describe_instance_ram_role(
        ecs_models.DescribeInstanceRamRoleRequest(region_id=REGION, instance_ids=json.dumps([WINDOWS_INSTANCE]))
    ).body
    roles = [s.ram_role_name for s in described.instance_ram_role_sets.instance_ram_role_set]
    RECORDER.check("windows: DescribeInstanceRamRole shows the role", roles == [ROLE], repr(roles))
    created = root.oos.create_secret_parameter(
        oos_models.CreateSecretParameterRequest(
            region_id=REGION,
            name=PASSWORD_PARAM,
            value=WINDOWS_PASSWORD,
            description="Windows password of user01",
        )
    ).body.parameter
    RECORDER.check("windows: encrypted parameter created", created.parameter_version == 1, repr(created.to_map()))


def windows_checks(user: Clients) -> None:
    # The read-only OOS policy lets the user see the parameter, but not its plaintext.
    meta = user.oos.get_secret_parameter(
        oos_models.GetSecretParameterRequest(region_id=REGION, name=PASSWORD_PARAM)
    ).body.parameter
    RECORDER.check("windows: user reads parameter metadata", meta.name == PASSWORD_PARAM and not meta.value, repr(meta))
    expect_denied(
        "windows: user may not decrypt the parameter (kms:GetSecretValue)",
        lambda: user.oos.get_secret_parameter(
            oos_models.GetSecretParameterRequest(region_id=REGION, name=PASSWORD_PARAM, with_decryption=True)
        ),
        "kms:GetSecretValue",
    )
    keys = user.kms.list_keys(kms_models.ListKeysRequest(page_size=10)).body
    RECORDER.check("windows: kmsPolicy allows ListKeys", keys.total_count >= 1, repr(keys.to_map()))
    ecs = user.ecs
    expect_allowed_output(
        "windows: user01 allowed with WindowsPasswordName",
        ecs,
        lambda: run_command(ecs, WINDOWS_INSTANCE, "RunPowerShellScript", "user01", PASSWORD_PARAM),
        f"{WINDOWS_HOST}\\user01",
    )
    expect_denied(
        "windows: system denied with Forbidden.RAM",
        lambda: run_command(ecs, WINDOWS_INSTANCE, "RunPowerShellScript", "system"),
        "ecs:RunCommand",
    )


def services_checks(root: Clients) -> None:
    """Beyond the procedure: the rest of the surface the SDKs model, as the account (wire shapes and codes)."""
    kms, oos, ecs = root.kms, root.oos, root.ecs
    key_id = kms.create_key(kms_models.CreateKeyRequest(description="conformance")).body.key_metadata.key_id
    context = {"purpose": "conformance", "n": "1"}
    plaintext = base64.b64encode(b"conformance plaintext").decode()
    blob = kms.encrypt(
        kms_models.EncryptRequest(key_id=key_id, plaintext=plaintext, encryption_context=context)
    ).body.ciphertext_blob
    RECORDER.check("kms: ciphertext does not carry the plaintext", plaintext not in blob, blob)
    back = kms.decrypt(kms_models.DecryptRequest(ciphertext_blob=blob, encryption_context=context)).body.plaintext
    RECORDER.check("kms: Encrypt/Decrypt round trip with EncryptionContext", back == plaintext, repr(back))
    try:
        kms.decrypt(kms_models.DecryptRequest(ciphertext_blob=blob, encryption_context={"purpose": "other"}))
        RECORDER.check("kms: a different EncryptionContext is rejected", False, "decrypted")
    except Exception as exc:
        code = error_code(exc)
        # KMS documents no dedicated code for an unopenable ciphertext: its generic InvalidParameter.
        RECORDER.check("kms: a different EncryptionContext is rejected", code == "InvalidParameter", code)
    data_key = kms.generate_data_key(kms_models.GenerateDataKeyRequest(key_id=key_id, number_of_bytes=16)).body
    RECORDER.check("kms: GenerateDataKey", len(base64.b64decode(data_key.plaintext)) == 16, repr(data_key.to_map()))
    kms.create_alias(kms_models.CreateAliasRequest(alias_name="alias/conformance", key_id=key_id))
    aliases = kms.list_aliases(kms_models.ListAliasesRequest(page_number=1, page_size=10)).body
    names = sorted(a.alias_name for a in aliases.aliases.alias)
    RECORDER.check("kms: ListAliases", names == ["alias/acs/oos", "alias/conformance"], repr(names))
    kms.create_secret(
        kms_models.CreateSecretRequest(secret_name="conformance/secret", secret_data="s3cr3t", version_id="v1")
    )
    secret = kms.get_secret_value(kms_models.GetSecretValueRequest(secret_name="conformance/secret")).body
    RECORDER.check("kms: CreateSecret/GetSecretValue", secret.secret_data == "s3cr3t", secret.version_id)

    value = oos.get_secret_parameter(
        oos_models.GetSecretParameterRequest(region_id=REGION, name=PASSWORD_PARAM, with_decryption=True)
    ).body.parameter.value
    RECORDER.check("oos: WithDecryption returns the value to the account", value == WINDOWS_PASSWORD, "wrong value")
    updated = oos.update_secret_parameter(
        oos_models.UpdateSecretParameterRequest(region_id=REGION, name=PASSWORD_PARAM, value=WINDOWS_PASSWORD)
    ).body.parameter
    RECORDER.check("oos: UpdateSecretParameter bumps the version", updated.parameter_version == 2, repr(updated))
    many = oos.get_secret_parameters(
        oos_models.GetSecretParametersRequest(region_id=REGION, names=json.dumps([PASSWORD_PARAM, "nope"]))
    ).body
    RECORDER.check(
        "oos: GetSecretParameters reports unknown names",
        [p.name for p in many.parameters] == [PASSWORD_PARAM] and many.invalid_parameters == ["nope"],
        repr(many.to_map()),
    )
    listed = oos.list_secret_parameters(oos_models.ListSecretParametersRequest(region_id=REGION, max_results=10)).body
    RECORDER.check("oos: ListSecretParameters", [p.name for p in listed.parameters] == [PASSWORD_PARAM], repr(listed))

    content = base64.b64encode(b"echo hello {{name}}").decode()
    command_id = ecs.create_command(
        ecs_models.CreateCommandRequest(
            region_id=REGION, name="hello", type="RunShellScript", command_content=content, enable_parameter=True
        )
    ).body.command_id
    commands = ecs.describe_commands(ecs_models.DescribeCommandsRequest(region_id=REGION, command_id=command_id)).body
    RECORDER.check("ecs: DescribeCommands", commands.commands.command[0].command_content == content, repr(commands))
    invoke_id = ecs.invoke_command(
        ecs_models.InvokeCommandRequest(
            region_id=REGION,
            command_id=command_id,
            instance_id=[LINUX_INSTANCE],
            username="user02",
            parameters={"name": "world"},
        )
    ).body.invoke_id
    wait_result(ecs, invoke_id)
    invocations = ecs.describe_invocations(
        ecs_models.DescribeInvocationsRequest(region_id=REGION, invoke_id=invoke_id, include_output=True)
    ).body
    instance = invocations.invocations.invocation[0].invoke_instances.invoke_instance[0]
    output = base64.b64decode(instance.output or "").decode()
    RECORDER.check("ecs: InvokeCommand with parameters, Base64 output", output == "hello world\n", repr(output))
    ecs.delete_command(ecs_models.DeleteCommandRequest(region_id=REGION, command_id=command_id))
    instances = ecs.describe_instances(
        ecs_models.DescribeInstancesRequest(region_id=REGION, instance_ids=json.dumps([LINUX_INSTANCE, WINDOWS_INSTANCE]))
    ).body
    os_types = sorted(i.ostype for i in instances.instances.instance)
    RECORDER.check("ecs: DescribeInstances with InstanceIds JSON", os_types == ["linux", "windows"], repr(os_types))
    regions = ecs.describe_regions(ecs_models.DescribeRegionsRequest()).body
    RECORDER.check("ecs: DescribeRegions", REGION in [r.region_id for r in regions.regions.region], repr(regions))


def idempotency_checks(root: Clients, signature: str) -> None:
    """RunCommand with a ClientToken: a repeat with the same parameters answers the same ids and starts nothing;
    other parameters are IdempotentParameterMismatch (HTTP 400) and start nothing either."""
    ecs = root.ecs
    token = f"conformance-{signature}-0001"

    def run(content: str):
        request = ecs_models.RunCommandRequest(
            region_id=REGION,
            type="RunShellScript",
            command_content=content,
            instance_id=[LINUX_INSTANCE],
            username="user01",
            client_token=token,
        )
        return ecs.run_command(request).body

    def invocations() -> int:
        request = ecs_models.DescribeInvocationsRequest(region_id=REGION, instance_id=LINUX_INSTANCE)
        return ecs.describe_invocations(request).body.total_count

    before = invocations()
    first, again = run("whoami"), run("whoami")
    RECORDER.check(
        "ecs: RunCommand with the same ClientToken and parameters answers the same ids",
        bool(first.invoke_id) and (again.invoke_id, again.command_id) == (first.invoke_id, first.command_id),
        f"first {first.invoke_id}/{first.command_id}, again {again.invoke_id}/{again.command_id}",
    )
    expect_error(
        "ecs: the same ClientToken with other parameters is IdempotentParameterMismatch",
        lambda: run("id"),
        "IdempotentParameterMismatch",
        400,
    )
    after = invocations()
    RECORDER.check("ecs: ClientToken repeats start no invocation", after == before + 1, f"{before} -> {after}")


def authorization_order_checks(root: Clients, endpoint: str, signature: str) -> None:
    """Authorization before existence: a user without policies learns nothing about unknown ids (Forbidden.RAM),
    the account is told they do not exist."""
    root.ram.create_user(ram_models.CreateUserRequest(user_name=BARE_USER))
    key = root.ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name=BARE_USER)).body.access_key
    bare = Clients(endpoint, signature, key.access_key_id, key.access_key_secret)
    unknown_invocation, unknown_command = "t-conformance-nope", "c-conformance-nope"

    def results(clients: Clients):
        request = ecs_models.DescribeInvocationResultsRequest(region_id=REGION, invoke_id=unknown_invocation)
        return clients.ecs.describe_invocation_results(request).body

    def stop(clients: Clients):
        return clients.ecs.stop_invocation(
            ecs_models.StopInvocationRequest(region_id=REGION, invoke_id=unknown_invocation)
        )

    def invoke(clients: Clients):
        return clients.ecs.invoke_command(
            ecs_models.InvokeCommandRequest(region_id=REGION, command_id=unknown_command, instance_id=[LINUX_INSTANCE])
        )

    for action, call in (("DescribeInvocationResults", results), ("StopInvocation", stop), ("InvokeCommand", invoke)):
        expect_denied(
            f"ecs: a user without policies gets Forbidden.RAM for {action} of an unknown id",
            lambda call=call: call(bare),
            f"ecs:{action}",
        )
    # DescribeInvocationResults filters by InvokeId: an unknown one is an empty page for the account.
    page = results(root).invocation
    RECORDER.check(
        "ecs: the account's DescribeInvocationResults of an unknown id is empty",
        page.total_count == 0 and not page.invocation_results.invocation_result,
        repr(page.to_map()),
    )
    expect_error(
        "ecs: the account's StopInvocation of an unknown id is InvalidInvokeId.NotFound",
        lambda: stop(root),
        "InvalidInvokeId.NotFound",
        404,
    )
    expect_error(
        "ecs: the account's InvokeCommand of an unknown command is InvalidCmdId.NotFound",
        lambda: invoke(root),
        "InvalidCmdId.NotFound",
        404,
    )


def kms_key_state_checks(root: Clients) -> None:
    """A disabled key is refused for cryptographic use with 409 Rejected.Disabled; the KMS error body carries
    HttpStatus (the SDK hands the body over as `data`). Enabled again, it encrypts."""
    kms = root.kms
    key_id = kms.create_key(kms_models.CreateKeyRequest(description="conformance key states")).body.key_metadata.key_id
    kms.disable_key(kms_models.DisableKeyRequest(key_id=key_id))
    plaintext = base64.b64encode(b"refused").decode()

    def http_status_wrong(exc: BaseException) -> str:
        data = getattr(exc, "data", None) or {}
        return "" if data.get("HttpStatus") == 409 else f"error body without HttpStatus 409: {data}"

    expect_error(
        "kms: Encrypt with a disabled key is Rejected.Disabled (HTTP 409, HttpStatus in the body)",
        lambda: kms.encrypt(kms_models.EncryptRequest(key_id=key_id, plaintext=plaintext)),
        "Rejected.Disabled",
        409,
        http_status_wrong,
    )
    kms.enable_key(kms_models.EnableKeyRequest(key_id=key_id))
    blob = kms.encrypt(kms_models.EncryptRequest(key_id=key_id, plaintext=plaintext)).body.ciphertext_blob
    RECORDER.check("kms: the key encrypts again once enabled", bool(blob), repr(blob))


def throttling_checks(root: Clients) -> None:
    """The emulator throttles the first ListUsers call (`--fault ListUsers=Throttling#1,retry-after=1`; nothing
    else in the suite calls ListUsers): the SDK raises ThrottlingException with code Throttling and the announced
    wait, sends the request once (it retries only with retry options configured), and the next call goes through."""
    call = lambda: root.ram.list_users(ram_models.ListUsersRequest(max_items=10))  # noqa: E731
    sent_before = RECORDER.requests.get("ListUsers", 0)

    def throttle_wrong(exc: BaseException) -> str:
        if not isinstance(exc, open_api_exceptions.ThrottlingException):
            return f"raised {type(exc).__name__}, not ThrottlingException"
        return "" if exc.retry_after == 1 else f"retry_after {exc.retry_after!r}, not 1"

    expect_error(
        "sdk: a throttled call raises ThrottlingException (code Throttling, retry_after 1)",
        call,
        "Throttling",
        400,
        throttle_wrong,
    )
    sent = RECORDER.requests.get("ListUsers", 0) - sent_before
    RECORDER.check("sdk: a throttled call is not retried by default", sent == 1, f"{sent} requests sent")
    users = call().body.users.user
    RECORDER.check("sdk: the call after the throttled one succeeds", bool(users), repr(users))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--endpoint", required=True, help="HOST:PORT of the emulator")
    parser.add_argument("--signature", choices=["v3", "v1"], default="v3")
    parser.add_argument(
        "--throttled-list-users",
        action="store_true",
        help="the emulator throttles the first ListUsers call (--fault ListUsers=Throttling#1,retry-after=1)",
    )
    parser.add_argument("--access-key-id", default=ROOT_KEY_ID)
    parser.add_argument("--access-key-secret", default=ROOT_KEY_SECRET)
    args = parser.parse_args()
    root = Clients(args.endpoint, args.signature, args.access_key_id, args.access_key_secret)
    steps = [
        ("linux", lambda: linux_checks(linux_procedure(root, args.endpoint, args.signature))),
        ("windows", lambda: (windows_procedure(root), windows_checks(
            Clients(args.endpoint, args.signature, *new_user_key(root))))),
        ("services", lambda: services_checks(root)),
        ("idempotency", lambda: idempotency_checks(root, args.signature)),
        ("authorization order", lambda: authorization_order_checks(root, args.endpoint, args.signature)),
        ("kms key states", lambda: kms_key_state_checks(root)),
    ]
    if args.throttled_list_users:
        steps.append(("throttling", lambda: throttling_checks(root)))
    for name, step in steps:
        try:
            step()
        except Exception as exc:
            RECORDER.check(f"{name}: procedure ran", False, f"{error_code(exc) or type(exc).__name__}: {exc}")
            traceback.print_exc(file=sys.stderr)
    RECORDER.check(
        f"every request was signed with {args.signature}",
        RECORDER.signatures == {args.signature},
        f"saw {sorted(RECORDER.signatures)}",
    )
    print(f"{RECORDER.passed} passed, {RECORDER.failed} failed")
    return 1 if RECORDER.failed else 0


def new_user_key(root: Clients) -> tuple[str, str]:
    """A second AccessKey for commandUser (a user may have two), so the Windows checks use fresh credentials."""
    key = root.ram.create_access_key(ram_models.CreateAccessKeyRequest(user_name=RAM_USER)).body.access_key
    return key.access_key_id, key.access_key_secret


if __name__ == "__main__":
    sys.exit(main())
