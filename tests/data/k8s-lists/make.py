"""make.py DIR: writes this folder's dumps of one small cluster (namespaces shop,
monitoring, kube-system, default) in the shapes the API server and kubectl
write them. See README.md. Run: python3 make.py tests/data/k8s-lists"""
import json, sys, re, os, hashlib
OUT = sys.argv[1]
T0 = "2026-11-30T08:14:11Z"

def mf(manager, op, api, fields, time=T0, sub=None):
    e = {"manager": manager, "operation": op, "apiVersion": api, "time": time,
         "fieldsType": "FieldsV1", "fieldsV1": fields}
    if sub: e["subresource"] = sub
    return e

def meta(name, ns, uid, rv, labels=None, ann=None, owner=None, managed=None, gen=None, generate_name=None):
    m = {"name": name}
    if generate_name: m["generateName"] = generate_name
    if ns: m["namespace"] = ns
    m["uid"] = uid
    m["resourceVersion"] = rv
    if gen is not None: m["generation"] = gen
    m["creationTimestamp"] = T0
    if labels: m["labels"] = labels
    if ann: m["annotations"] = ann
    if owner: m["ownerReferences"] = [owner]
    if managed: m["managedFields"] = managed
    return m

def owner(kind, name, uid, api="apps/v1"):
    return {"apiVersion": api, "kind": kind, "name": name, "uid": uid,
            "controller": True, "blockOwnerDeletion": True}

def token_volume(n):
    return {"name": n, "projected": {"sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}],
        "defaultMode": 420}}

def container(name, image, ports, vol, extra=None):
    c = {"name": name, "image": image}
    if ports: c["ports"] = ports
    c["resources"] = {}
    c["volumeMounts"] = [{"name": vol, "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]
    c["terminationMessagePath"] = "/dev/termination-log"
    c["terminationMessagePolicy"] = "File"
    c["imagePullPolicy"] = "IfNotPresent"
    if extra: c.update(extra)
    return c

def port(n, p, proto="TCP", name=None, host=None):
    d = {}
    if name: d["name"] = name
    if host: d["hostPort"] = host
    d["containerPort"] = p
    d["protocol"] = proto
    return d

def pod_status(pod_ip, host_ip, cname, image, image_id):
    return {"phase": "Running",
            "conditions": [{"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": T0}
                           for t in ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "hostIP": host_ip, "hostIPs": [{"ip": host_ip}],
            "podIP": pod_ip, "podIPs": [{"ip": pod_ip}],
            "startTime": T0,
            "containerStatuses": [{"name": cname, "state": {"running": {"startedAt": T0}},
                                   "lastState": {}, "ready": True, "restartCount": 0,
                                   "image": image, "imageID": image_id,
                                   "containerID": "containerd://" + hashlib.sha256((cname + pod_ip).encode()).hexdigest(),
                                   "started": True}],
            "qosClass": "BestEffort"}

POD_FIELDS = {"f:metadata": {"f:generateName": {}, "f:labels": {".": {}, "f:app": {}}, "f:ownerReferences": {".": {}}},
              "f:spec": {"f:containers": {}, "f:dnsPolicy": {}, "f:restartPolicy": {}}}

def pod(name, ns, uid, rv, labels, own, node, host_ip, pod_ip, ctr, image, image_id, host_network=False, extra_spec=None, gen_name=None):
    vol = "kube-api-access-" + uid[:5]
    spec = {"volumes": [token_volume(vol)],
            "containers": [container(ctr["name"], image, ctr.get("ports"), vol, ctr.get("extra"))],
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirstWithHostNet" if host_network else "ClusterFirst",
            "serviceAccountName": "default", "serviceAccount": "default",
            "nodeName": node}
    if host_network:
        spec["hostNetwork"] = True
    if extra_spec: spec.update(extra_spec)
    spec.update({"securityContext": {}, "schedulerName": "default-scheduler",
                 "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
                                 {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
                 "priority": 0, "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority"})
    managed = [mf("kube-controller-manager", "Update", "v1", POD_FIELDS),
               mf("kubelet", "Update", "v1", {"f:status": {"f:conditions": {}, "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {}, "f:podIPs": {}}}, sub="status")]
    return {"metadata": meta(name, ns, uid, rv, labels, owner=own, managed=managed, generate_name=gen_name),
            "spec": spec,
            "status": pod_status(pod_ip, host_ip, ctr["name"], image, image_id)}

PODS = [
    pod("web-7c9f8d6b5-x2k9p", "shop", "4f1c2a0e-6b1d-4a8e-9a53-0c6f1e2d7b11", "48213",
        {"app": "web", "pod-template-hash": "7c9f8d6b5"},
        owner("ReplicaSet", "web-7c9f8d6b5", "a1e0d7c2-3f4b-4c59-8d1e-2b7a9c0f5e21"),
        "worker-1", "172.18.0.3", "10.244.1.12",
        {"name": "web", "ports": [port(0, 8080, name="http"), port(0, 9090, name="metrics")]},
        "nginx:1.25.4", "docker.io/library/nginx@sha256:6db391d1c0cfb30588ba0bf72ea999404f2764febf0f1f196acd5867ac7efa7e",
        gen_name="web-7c9f8d6b5-"),
    pod("db-0", "shop", "9b3e7d51-2c4a-4f0e-8e7b-5d1a6c2f9e33", "48190",
        {"app": "db", "apps.kubernetes.io/pod-index": "0", "controller-revision-hash": "db-6d9c7b8f5d", "statefulset.kubernetes.io/pod-name": "db-0"},
        owner("StatefulSet", "db", "c7d2e9a4-1b3f-4e6a-9c0d-8f2e5a7b1c44"),
        "worker-2", "172.18.0.4", "10.244.2.7",
        {"name": "postgres", "ports": [port(0, 5432, name="postgres")],
         "extra": {"env": [{"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}}]}},
        "postgres:16.2", "docker.io/library/postgres@sha256:4aea012537edfad80f98d870a36e6b90b4c09b27be7f4b4759d72db863baeebb",
        extra_spec={"hostname": "db-0", "subdomain": "db"}),
    pod("prometheus-5b7d9c8f4-qq8zt", "monitoring", "2d6f8a3c-7e1b-4d2a-b5c9-3e0f4a8d6c55", "47001",
        {"app": "prometheus", "pod-template-hash": "5b7d9c8f4"},
        owner("ReplicaSet", "prometheus-5b7d9c8f4", "e3b8c1f6-4a2d-4b7e-8c9f-1d0a2e6b3f66"),
        "worker-1", "172.18.0.3", "10.244.1.30",
        {"name": "prometheus", "ports": [port(0, 9090, name="web")]},
        "quay.io/prometheus/prometheus:v2.51.0", "quay.io/prometheus/prometheus@sha256:5ccad477d0057e62a7cd1981ffcc43785ac10c5a35522dc207466ff7e7ec845f",
        gen_name="prometheus-5b7d9c8f4-"),
    pod("node-exporter-8kq2w", "monitoring", "7a1d3e5f-9c2b-4e8a-a6d0-4b2f7c9e1d77", "46988",
        {"app": "node-exporter", "controller-revision-hash": "6c8b7d9f4", "pod-template-generation": "1"},
        owner("DaemonSet", "node-exporter", "f5c9a2e7-8d3b-4f1a-b0e4-6a2c8d1f9b88"),
        "worker-1", "172.18.0.3", "172.18.0.3",
        {"name": "node-exporter", "ports": [port(0, 9100, name="metrics", host=9100)],
         "extra": {"args": ["--path.rootfs=/host"]}},
        "quay.io/prometheus/node-exporter:v1.7.0", "quay.io/prometheus/node-exporter@sha256:4cb2b9019f1757be8482419002cb7afe028fdba35d47958829e4cfeaf6246d80",
        host_network=True, extra_spec={"hostPID": True}, gen_name="node-exporter-"),
    pod("coredns-76f75df574-7xq4m", "kube-system", "3c5e7a9b-1d2f-4a6c-8e0b-5f7a9c1e3d99", "412",
        {"k8s-app": "kube-dns", "pod-template-hash": "76f75df574"},
        owner("ReplicaSet", "coredns-76f75df574", "b2d4f6a8-0c1e-4b3d-9f5a-7c9e1b3d5f00"),
        "control-plane", "172.18.0.2", "10.244.0.3",
        {"name": "coredns", "ports": [port(0, 53, "UDP", "dns"), port(0, 53, "TCP", "dns-tcp"), port(0, 9153, name="metrics")],
         "extra": {"args": ["-conf", "/etc/coredns/Corefile"],
                   "securityContext": {"capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
                                       "readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False}}},
        "registry.k8s.io/coredns/coredns:v1.11.1", "registry.k8s.io/coredns/coredns@sha256:1eeb4c7316bacb1d4c8ead65571cd92dd21e27359f0d4917f1a5822a73b75db1",
        gen_name="coredns-76f75df574-"),
]

def ns_obj(name, uid, rv, extra_labels=None):
    labels = {"kubernetes.io/metadata.name": name}
    if extra_labels: labels.update(extra_labels)
    return {"metadata": meta(name, None, uid, rv, labels,
                             managed=[mf("kubectl-create", "Update", "v1", {"f:metadata": {"f:labels": {".": {}, "f:kubernetes.io/metadata.name": {}}}})]),
            "spec": {"finalizers": ["kubernetes"]},
            "status": {"phase": "Active"}}

NAMESPACES = [ns_obj("default", "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b", "38"),
              ns_obj("kube-system", "f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b6c", "4"),
              ns_obj("monitoring", "a3b4c5d6-e7f8-4a9b-0c1d-2e3f4a5b6c7d", "46901", {"team": "observability"}),
              ns_obj("shop", "b4c5d6e7-f8a9-4b0c-1d2e-3f4a5b6c7d8e", "48001", {"team": "shop", "env": "prod"})]

NP_FIELDS = {"f:spec": {"f:ingress": {}, "f:podSelector": {}, "f:policyTypes": {}}}
def np(name, ns, uid, rv, spec):
    return {"metadata": meta(name, ns, uid, rv, gen=1,
                             ann={"kubectl.kubernetes.io/last-applied-configuration":
                                  json.dumps({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
                                              "metadata": {"annotations": {}, "name": name, "namespace": ns},
                                              "spec": spec}, separators=(",", ":")) + "\n"},
                             managed=[mf("kubectl-client-side-apply", "Update", "networking.k8s.io/v1", NP_FIELDS)]),
            "spec": spec}

def tcp(p): return {"protocol": "TCP", "port": p}
NETPOLS = [
    np("default-deny", "shop", "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "48101",
       {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}),
    np("web-ingress", "shop", "1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e", "48102",
       {"podSelector": {"matchLabels": {"app": "web"}},
        "ingress": [{"ports": [tcp(8080)]},
                    {"ports": [tcp("metrics")],
                     "from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}}]}],
        "policyTypes": ["Ingress"]}),
    np("db-from-web", "shop", "2c3d4e5f-6a7b-4c8d-0e9f-1a2b3c4d5e6f", "48103",
       {"podSelector": {"matchLabels": {"app": "db"}},
        "ingress": [{"ports": [tcp(5432)], "from": [{"podSelector": {"matchLabels": {"app": "web"}}}]}],
        "policyTypes": ["Ingress"]}),
    np("web-egress", "shop", "3d4e5f6a-7b8c-4d9e-1f0a-2b3c4d5e6f7a", "48104",
       {"podSelector": {"matchLabels": {"app": "web"}},
        "egress": [{"ports": [tcp(5432)], "to": [{"podSelector": {"matchLabels": {"app": "db"}}}]},
                   {"ports": [{"protocol": "UDP", "port": 53}, tcp(53)],
                    "to": [{"podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}]}],
        "policyTypes": ["Egress"]}),
    np("default-deny-ingress", "monitoring", "4e5f6a7b-8c9d-4e0f-2a1b-3c4d5e6f7a8b", "47101",
       {"podSelector": {}, "policyTypes": ["Ingress"]}),
    np("allow-prometheus", "monitoring", "5f6a7b8c-9d0e-4f1a-3b2c-4d5e6f7a8b9c", "47102",
       {"podSelector": {},
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "prometheus"}}}]}],
        "policyTypes": ["Ingress"]}),
]

def svc(name, ns, uid, rv, spec, status=None, labels=None):
    return {"metadata": meta(name, ns, uid, rv, labels,
                             managed=[mf("kubectl-client-side-apply", "Update", "v1", {"f:spec": {"f:ports": {}, "f:selector": {}, "f:type": {}}})]),
            "spec": spec, "status": status or {"loadBalancer": {}}}

def sport(name, proto, port, target, node=None):
    d = {"name": name, "protocol": proto, "port": port, "targetPort": target}
    if node: d["nodePort"] = node
    return d
SERVICES = [
    svc("kubernetes", "default", "c5d6e7f8-a9b0-4c1d-2e3f-4a5b6c7d8e9f", "200",
        {"ports": [sport("https", "TCP", 443, 6443)], "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
         "type": "ClusterIP", "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
         "internalTrafficPolicy": "Cluster"}, labels={"component": "apiserver", "provider": "kubernetes"}),
    svc("kube-dns", "kube-system", "d6e7f8a9-b0c1-4d2e-3f4a-5b6c7d8e9f0a", "240",
        {"ports": [sport("dns", "UDP", 53, 53), sport("dns-tcp", "TCP", 53, 53), sport("metrics", "TCP", 9153, 9153)],
         "selector": {"k8s-app": "kube-dns"}, "clusterIP": "10.96.0.10", "clusterIPs": ["10.96.0.10"],
         "type": "ClusterIP", "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
         "internalTrafficPolicy": "Cluster"}, labels={"k8s-app": "kube-dns"}),
    svc("web", "shop", "e7f8a9b0-c1d2-4e3f-4a5b-6c7d8e9f0a1b", "48150",
        {"ports": [sport("http", "TCP", 80, "http", 31380)], "selector": {"app": "web"},
         "clusterIP": "10.96.112.34", "clusterIPs": ["10.96.112.34"], "type": "LoadBalancer",
         "sessionAffinity": "None", "externalTrafficPolicy": "Cluster", "ipFamilies": ["IPv4"],
         "ipFamilyPolicy": "SingleStack", "allocateLoadBalancerNodePorts": True, "internalTrafficPolicy": "Cluster"},
        {"loadBalancer": {"ingress": [{"ip": "203.0.113.10", "ipMode": "VIP"}]}}),
    svc("db", "shop", "f8a9b0c1-d2e3-4f4a-5b6c-7d8e9f0a1b2c", "48151",
        {"ports": [sport("postgres", "TCP", 5432, "postgres")], "selector": {"app": "db"},
         "clusterIP": "None", "clusterIPs": ["None"], "type": "ClusterIP", "sessionAffinity": "None",
         "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "internalTrafficPolicy": "Cluster"}),
]

def deploy(name, ns, uid, rv, labels, tmpl_labels, ctr, image, replicas=1):
    spec = {"replicas": replicas, "selector": {"matchLabels": {k: v for k, v in tmpl_labels.items()}},
            "template": {"metadata": {"creationTimestamp": None, "labels": tmpl_labels},
                         "spec": {"containers": [dict({"name": ctr["name"], "image": image}, **({"ports": ctr["ports"]} if ctr.get("ports") else {}),
                                                       resources={}, terminationMessagePath="/dev/termination-log",
                                                       terminationMessagePolicy="File", imagePullPolicy="IfNotPresent",
                                                       **ctr.get("extra", {}))],
                                  "restartPolicy": "Always", "terminationGracePeriodSeconds": 30,
                                  "dnsPolicy": "ClusterFirst", "securityContext": {}, "schedulerName": "default-scheduler"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
            "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600}
    status = {"observedGeneration": 1, "replicas": replicas, "updatedReplicas": replicas, "readyReplicas": replicas,
              "availableReplicas": replicas,
              "conditions": [{"type": "Available", "status": "True", "lastUpdateTime": T0, "lastTransitionTime": T0,
                              "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."},
                             {"type": "Progressing", "status": "True", "lastUpdateTime": T0, "lastTransitionTime": T0,
                              "reason": "NewReplicaSetAvailable", "message": "ReplicaSet \"%s\" has successfully progressed." % name}]}
    managed = [mf("kubectl-client-side-apply", "Update", "apps/v1", {"f:spec": {"f:replicas": {}, "f:selector": {}, "f:template": {}}}),
               mf("kube-controller-manager", "Update", "apps/v1", {"f:status": {"f:availableReplicas": {}, "f:conditions": {}}}, sub="status")]
    return {"metadata": meta(name, ns, uid, rv, labels, ann={"deployment.kubernetes.io/revision": "1"}, managed=managed, gen=1),
            "spec": spec, "status": status}

DEPLOYMENTS = [
    deploy("web", "shop", "0b1c2d3e-4f5a-4b6c-7d8e-9f0a1b2c3d4e", "48220", {"app": "web"}, {"app": "web"},
           {"name": "web", "ports": [port(0, 8080, name="http"), port(0, 9090, name="metrics")]}, "nginx:1.25.4", 2),
    deploy("prometheus", "monitoring", "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "47010", {"app": "prometheus"}, {"app": "prometheus"},
           {"name": "prometheus", "ports": [port(0, 9090, name="web")],
            "extra": {"securityContext": {"runAsNonRoot": True, "runAsUser": 65534, "privileged": True}}},
           "quay.io/prometheus/prometheus:v2.51.0"),
    deploy("coredns", "kube-system", "2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a", "415", {"k8s-app": "kube-dns"}, {"k8s-app": "kube-dns"},
           {"name": "coredns", "ports": [port(0, 53, "UDP", "dns"), port(0, 53, "TCP", "dns-tcp")]},
           "registry.k8s.io/coredns/coredns:v1.11.1", 2),
]

def typed_list(kind, api, rv, items):
    return {"kind": kind, "apiVersion": api, "metadata": {"resourceVersion": rv}, "items": items}

def kubectl_list(kind, api, items):
    """kubectl get -o json|yaml: a List of items with their kind, managedFields
    left out (kubectl's default), keys sorted when printed."""
    out = []
    for it in items:
        it = json.loads(json.dumps(it))
        it["metadata"].pop("managedFields", None)
        d = {"apiVersion": api, "kind": kind}
        d.update(it)
        out.append(d)
    return {"apiVersion": "v1", "items": out, "kind": "List", "metadata": {"resourceVersion": ""}}

# ---- a go-yaml (sigs.k8s.io/yaml) style emitter: sorted keys, 2 spaces,
# sequences not indented under their key, double quotes where needed ----
RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", ""}
NUMERIC = re.compile(r'^([-+]?[0-9]+|[-+]?([0-9]*\.[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|[0-9]{4}-[0-9]{2}-[0-9]{2}.*)$')
def scalar(v):
    if v is None: return "null"
    if v is True: return "true"
    if v is False: return "false"
    if isinstance(v, int): return str(v)
    s = v
    if (s.lower() in RESERVED or NUMERIC.match(s) or s[0] in "[]{}&*!|>'\"%@`#,?-: "
            or s[-1] in " :" or ": " in s or " #" in s or "\n" in s):
        return json.dumps(s)
    return s
def emit(v, ind, out, key_line=None):
    pad = " " * ind
    if isinstance(v, dict):
        for k in sorted(v):
            x = v[k]
            if isinstance(x, dict) and x:
                out.append(f"{pad}{k}:"); emit(x, ind + 2, out)
            elif isinstance(x, list) and x:
                out.append(f"{pad}{k}:"); emit(x, ind, out)
            elif isinstance(x, dict): out.append(f"{pad}{k}: {{}}")
            elif isinstance(x, list): out.append(f"{pad}{k}: []")
            else: out.append(f"{pad}{k}: {scalar(x)}")
    elif isinstance(v, list):
        for x in v:
            if isinstance(x, dict) and x:
                sub = []; emit(x, ind + 2, sub)
                sub[0] = pad + "- " + sub[0][ind + 2:]
                out.extend(sub)
            elif isinstance(x, list) and x:
                sub = []; emit(x, ind + 2, sub)
                sub[0] = pad + "- " + sub[0][ind + 2:]
                out.extend(sub)
            else:
                out.append(f"{pad}- {scalar(x) if not isinstance(x,(dict,list)) else ('{}' if isinstance(x,dict) else '[]')}")
def to_yaml(v):
    out = []; emit(v, 0, out); return "\n".join(out) + "\n"

def sorted_json(v, indent):
    return json.dumps(v, indent=indent, sort_keys=True) + "\n"

os.makedirs(OUT, exist_ok=True)
def write(name, text):
    open(os.path.join(OUT, name), "w").write(text)
# the API server's own JSON: compact, struct field order (kubectl get --raw)
write("pods.json", json.dumps(typed_list("PodList", "v1", "48230", PODS), separators=(",", ":")) + "\n")
write("namespaces.json", json.dumps(typed_list("NamespaceList", "v1", "48230", NAMESPACES), separators=(",", ":")) + "\n")
# kubectl cluster-info dump: the typed list indented by 4, struct field order
write("deployments.json", json.dumps(typed_list("DeploymentList", "apps/v1", "48230", DEPLOYMENTS), indent=4) + "\n")
# the API server's YAML (Accept: application/yaml): keys sorted
write("networkpolicies.yaml", to_yaml(typed_list("NetworkPolicyList", "networking.k8s.io/v1", "48230", NETPOLS)))
write("services.yaml", to_yaml(typed_list("ServiceList", "v1", "48230", SERVICES)))
# kubectl get -A -o yaml / -o json: a List of typed items
write("pods.kubectl.yaml", to_yaml(kubectl_list("Pod", "v1", PODS)))
write("networkpolicies.kubectl.json", sorted_json(kubectl_list("NetworkPolicy", "networking.k8s.io/v1", NETPOLS), 4))
