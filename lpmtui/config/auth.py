"""The ``auth:`` block of an HMC, a jump host or the defaults."""

from __future__ import annotations

import importlib.util
import os
import stat
from pathlib import Path

import yaml

from lpmtui.common.typed_yaml import YamlDoc
from lpmtui.config.model import AUTH_METHODS, AuthConfig

AUTH_KEYS = ("method", "key_file", "password_env", "keyring", "insecure_password")
_PASSWORD_SOURCE_KEYS = ("password_env", "keyring", "insecure_password")


def keyring_available() -> bool:
    return importlib.util.find_spec("keyring") is not None


def parse_auth(
    doc: YamlDoc, node: yaml.Node, key: str, base: Path, warnings: list[str]
) -> AuthConfig:
    """``auth: agent`` | ``auth: password`` | a mapping (see config.example.yaml)."""
    if isinstance(node, yaml.ScalarNode):
        method = doc.choice(node, key, ("agent", "password"))
        return AuthConfig(method=method)
    if isinstance(node, yaml.MappingNode):
        for k_node, _ in node.value:
            if isinstance(k_node, yaml.ScalarNode) and k_node.value == "password":
                raise doc.error(
                    k_node,
                    f"{key}.password",
                    "a clear-text password under 'password' (value hidden)",
                    "password_env, keyring: true, a prompt (method: password), or "
                    "insecure_password if you accept the risk",
                )
    fields = doc.mapping(node, key, AUTH_KEYS, "agent, password or a mapping with method")
    sources = [k for k in _PASSWORD_SOURCE_KEYS if k in fields]
    if "method" in fields:
        method = doc.choice(fields["method"][1], f"{key}.method", AUTH_METHODS)
    elif "key_file" in fields:
        method = "key"
    elif sources:
        method = "password"
    else:
        raise doc.error(
            node, f"{key}.method", "no method", "method: agent, key (with key_file) or password"
        )
    if method != "password" and sources:
        k_node = fields[sources[0]][0]
        raise doc.error(
            k_node,
            f"{key}.{sources[0]}",
            f"a password source with method {method}",
            "password sources only with method: password",
        )
    if method != "key" and "key_file" in fields:
        raise doc.error(
            fields["key_file"][0],
            f"{key}.key_file",
            f"a key file with method {method}",
            "key_file only with method: key",
        )
    if method == "agent":
        return AuthConfig(method="agent")
    if method == "key":
        files = _key_files(doc, fields, key, base)
        for path in files:
            mode = _mode(path)
            if mode & 0o077:
                warnings.append(
                    f"{doc.file}:{doc.line(fields['key_file'][1])}: {key}.key_file: {path} is "
                    f"readable by others (mode {mode:04o}); chmod 600 it"
                )
        return AuthConfig(method="key", key_files=files)
    if len(sources) > 1:
        second = fields[sources[1]][0]
        raise doc.error(
            second,
            f"{key}.{sources[1]}",
            f"both {sources[0]} and {sources[1]}",
            "one password source (or none, to be asked)",
        )
    return _password(doc, fields, key, warnings)


def _mode(path: str) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0


def _key_files(doc: YamlDoc, fields, key: str, base: Path) -> tuple[str, ...]:
    if "key_file" not in fields:
        raise doc.error(
            fields["method"][0],
            f"{key}.key_file",
            "method key without key_file",
            "key_file: the path of a private key",
        )
    out = []
    files_node = fields["key_file"][1]
    listed = isinstance(files_node, yaml.SequenceNode)
    for i, (text, n) in enumerate(doc.names(files_node, f"{key}.key_file")):
        path = Path(os.path.expanduser(os.path.expandvars(text)))
        path = path if path.is_absolute() else base / path
        if not path.is_file():
            where = f"{key}.key_file[{i}]" if listed else f"{key}.key_file"
            raise doc.error(n, where, f"no file at {path}", "a readable private key file")
        out.append(str(path))
    return tuple(out)


def _password(doc: YamlDoc, fields, key: str, warnings: list[str]) -> AuthConfig:
    if "password_env" in fields:
        v_node = fields["password_env"][1]
        var = doc.string(
            v_node, f"{key}.password_env", expected="the name of an environment variable"
        )
        if not os.environ.get(var):
            raise doc.error(
                v_node,
                f"{key}.password_env",
                f"${var} unset or empty",
                "an environment variable that holds the password",
            )
        return AuthConfig(method="password", password_source="env", password_env=var)
    if "keyring" in fields:
        v_node = fields["keyring"][1]
        value = doc.value(v_node) if isinstance(v_node, yaml.ScalarNode) else None
        if value is True:
            service = "lpmtui"
        elif isinstance(value, str) and value.strip():
            service = value.strip()
        else:
            raise doc.error(
                v_node, f"{key}.keyring", doc.describe(v_node), "true or a keyring service name"
            )
        if not keyring_available():
            raise doc.error(
                v_node,
                f"{key}.keyring",
                "the Python module 'keyring' is not installed",
                "password_env or a prompt, or install 'keyring' yourself",
            )
        return AuthConfig(method="password", password_source="keyring", keyring_service=service)
    if "insecure_password" in fields:
        k_node, v_node = fields["insecure_password"]
        secret = doc.string(
            v_node, f"{key}.insecure_password", secret=True, expected="a password string"
        )
        warnings.append(
            f"{doc.file}:{doc.line(k_node)}: {key}.insecure_password: a clear-text "
            "password in the config file is insecure; prefer password_env, "
            "keyring or a prompt"
        )
        return AuthConfig(method="password", password_source="insecure", insecure_password=secret)
    return AuthConfig(method="password", password_source="prompt")
