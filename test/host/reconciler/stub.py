"""Stand-in for aws, docker, systemctl, iptables and tailscale: logs each call (one JSON line in
$STUB_LOG) and answers from the world in $STUB_WORLD (JSON, rewritten when a call changes it)."""
import json
import os
import sys

name = sys.argv[1]
args = sys.argv[2:]
with open(os.environ["STUB_LOG"], "a") as f:
    f.write(json.dumps([name, *args]) + "\n")
world_path = os.environ["STUB_WORLD"]
with open(world_path) as f:
    world = json.load(f)


def opt(flag):
    return args[args.index(flag) + 1] if flag in args else None


def save():
    with open(world_path, "w") as f:
        json.dump(world, f)


if name == "aws":
    if "get-parameter" in args:
        if world.get("cells") is None:
            sys.stderr.write("ParameterNotFound\n")
            sys.exit(254)
        print(json.dumps({"Parameter": {"Value": world["cells"]}}))
    elif "describe-secret" in args:
        s = world["secrets"][opt("--secret-id")]
        print(json.dumps({"VersionIdsToStages": s["stages"], "Tags": s.get("tags", [])}))
    elif "get-secret-value" in args:
        s = world["secrets"].get(opt("--secret-id"))
        if s is None:
            sys.stderr.write("ResourceNotFoundException\n")
            sys.exit(254)
        v = opt("--version-id") or next(k for k, st in s["stages"].items() if "AWSCURRENT" in st)
        print(json.dumps({"SecretString": s["values"][v], "VersionId": v}))
    elif "tag-resource" in args:
        s = world["secrets"][opt("--secret-id")]
        s["tags"] = [t for t in s.get("tags", [])] + json.loads(opt("--tags"))
        save()
    else:
        sys.exit(f"the aws stand-in does not know {args}")
elif name == "docker":
    if args[0] == "inspect":
        c = world.get("containers", {}).get(args[-1])
        if c is None:
            sys.stderr.write(f"Error: No such container: {args[-1]}\n")
            sys.exit(1)
        print(json.dumps([{"NetworkSettings": {"Networks": {"cell": {"IPAddress": c}}}}]))
elif name == "tailscale":
    if args[:1] == ["status"]:
        print(json.dumps({"BackendState": world.get("tailscale", "Running")}))
    elif args[:1] == ["up"]:
        key = [a for a in args if a.startswith("--auth-key=file:")][0].split(":", 1)[1]
        with open(key) as f:
            world["joinedWith"] = f.read()
        world["tailscale"] = "Running"
        save()
