/* The rule catalogue: one entry per rule, in id order. Ids are stable:
 * a rule that goes away leaves its id unused, a new rule takes the next
 * number. docs/rules.md is generated from this table (hull-rules-doc). */
#include <string.h>
#include <strings.h>

#include "misconfig/rules_internal.h"

#define DF      HULL_INPUT_BIT(HULL_INPUT_DOCKERFILE)
#define IMG     HULL_INPUT_BIT(HULL_INPUT_IMAGE)
#define COMPOSE HULL_INPUT_BIT(HULL_INPUT_COMPOSE)
#define K8S     HULL_INPUT_BIT(HULL_INPUT_K8S)
#define ECS     HULL_INPUT_BIT(HULL_INPUT_ECS)
#define RT      HULL_INPUT_BIT(HULL_INPUT_RUNTIME)
#define ANY     (DF | IMG | COMPOSE | K8S | ECS | RT)
#define DEPLOY  (COMPOSE | K8S | ECS | RT) /* where run-time settings live */

#define C HULL_SCOPE_CONTAINER
#define W HULL_SCOPE_WORKLOAD
#define B HULL_SCOPE_BUILD
#define O HULL_SCOPE_OBJECT

#define BASE HULL_PSS_BASELINE
#define REST HULL_PSS_RESTRICTED

static const struct hull_rule rules[] = {
    {"HULL-C001", "Privileged container", HULL_SEV_CRITICAL, C, DEPLOY, BASE,
     "Privileged Containers",
     "A privileged container gets every capability, every host device and no seccomp, "
     "AppArmor or SELinux confinement: root in it is root on the host, and escaping takes "
     "one mount command.",
     "Remove privileged: true (--privileged). Grant the one capability or device the workload "
     "needs instead.",
     "KSV-0017", "5.5", "Privileged", "container-security-context-privileged", hull_chk_privileged,
     "Every container, init and ephemeral ones included. All policy versions."},
    {"HULL-C002", "Dangerous capability added", HULL_SEV_HIGH, C, DEPLOY, BASE, "Capabilities",
     "Some capabilities are enough on their own to escape a container or take over the host: "
     "SYS_ADMIN (mounts, namespaces, BPF), SYS_MODULE (kernel modules), SYS_PTRACE, "
     "DAC_READ_SEARCH (open_by_handle_at), NET_ADMIN, SYS_RAWIO, BPF, SYS_BOOT, SYS_TIME, "
     "MAC_ADMIN, MAC_OVERRIDE, and ALL.",
     "Remove the capability from capabilities.add / cap_add / CapAdd. If a tool needs it, run "
     "that step in a separate, short-lived, isolated job.",
     "KSV-0005,KSV-0120,KSV-0022", "5.4", "CapSysAdmin", NULL, hull_chk_cap_dangerous,
     "Kubernetes: capability names are compared as written, exactly as Pod Security Admission "
     "does; an escape-grade capability fails Baseline in any spelling (`sys_admin`, "
     "`CAP_SYS_ADMIN`). All policy versions; at the Restricted level Windows pods are exempt "
     "from v1.25 (the Restricted capabilities check replaces the Baseline one and admits "
     "them). Compose, ECS and running containers: names are normalised (upper case, `CAP_` "
     "removed) as the runtime does."},
    {"HULL-C003", "Capability outside the Baseline allowlist", HULL_SEV_MEDIUM, C, DEPLOY, BASE,
     "Capabilities",
     "The Pod Security Baseline profile allows adding only the runtime's default "
     "capabilities minus NET_RAW (AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, "
     "MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT). Anything else "
     "widens the kernel attack surface.",
     "Remove the capability, or document why the workload needs it with a policy exemption.",
     "KSV-0022,KSV-0119", "5.4", NULL, NULL, hull_chk_cap_baseline,
     "Kubernetes: names are compared exactly as written, as Pod Security Admission does: `add: "
     "[chown]` or `add: [CAP_CHOWN]` is not CHOWN and fails Baseline. All policy versions; at "
     "the Restricted level Windows pods are exempt from v1.25. Compose, ECS and running "
     "containers: names are normalised (upper case, `CAP_` removed) as the runtime does, so "
     "`cap_add: [chown]` is CHOWN."},
    {"HULL-C004", "Capability beyond NET_BIND_SERVICE added", HULL_SEV_LOW, C, DEPLOY, REST,
     "Capabilities",
     "The Restricted profile lets containers add back only NET_BIND_SERVICE after dropping "
     "ALL. Default capabilities such as CHOWN, SETUID or DAC_OVERRIDE help an attacker who "
     "got code execution as root inside the container.",
     "Drop ALL and add back only NET_BIND_SERVICE when binding a low port.", "KSV-0106,KSV-0022",
     "5.4", NULL, NULL, hull_chk_cap_restricted,
     "Kubernetes: anything added but exactly NET_BIND_SERVICE, policy v1.22 and later (before "
     "v1.22 Restricted had no capabilities control of its own); Windows pods are exempt from "
     "v1.25. Elsewhere names are normalised as the runtime does."},
    {"HULL-C005", "Capability added", HULL_SEV_LOW, C, DEPLOY, HULL_PSS_NONE, NULL,
     "Adding NET_BIND_SERVICE is allowed by every profile, but a service in a container rarely "
     "needs a port below 1024: the port mapping or Service can translate.",
     "Listen on a port above 1023 (or set net.ipv4.ip_unprivileged_port_start) and remove the "
     "capability.",
     "KSV-0022", "5.4", NULL, NULL, hull_chk_cap_added},
    {"HULL-C006", "Capabilities not dropped", HULL_SEV_LOW, C, DEPLOY, REST, "Capabilities",
     "Without drop: [ALL] (--cap-drop=ALL) a container keeps the runtime's default "
     "capabilities, including CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID and NET_RAW, which "
     "an attacker can use once inside.",
     "Drop ALL capabilities and add back only the ones the process needs.",
     "KSV-0003,KSV-0004,KSV-0106", "5.4", "CapDropAll", NULL, hull_chk_cap_drop_all,
     "Kubernetes: `drop` must contain exactly ALL (`all` does not count), policy v1.22 and "
     "later; Windows pods are exempt from v1.25. Elsewhere names are normalised, and an engine "
     "that lists every default capability as dropped counts as ALL."},
    {"HULL-C007", "Privilege escalation allowed", HULL_SEV_MEDIUM, C, DEPLOY, REST,
     "Privilege Escalation",
     "Unless no_new_privs is set, a process can gain privileges through setuid and setgid "
     "binaries or file capabilities, turning any foothold into root inside the container.",
     "Set securityContext.allowPrivilegeEscalation: false (Kubernetes), security_opt: "
     "[no-new-privileges:true] (Compose), --security-opt no-new-privileges (docker run), "
     "dockerSecurityOptions: [\"no-new-privileges\"] (ECS).",
     "KSV-0001", "5.26", "AllowPrivilegeEscalation", NULL, hull_chk_priv_esc,
     "Kubernetes: every container must set allowPrivilegeEscalation: false, policy v1.8 and "
     "later (the field appeared in Kubernetes 1.8); Windows pods are exempt from v1.25."},
    {"HULL-C008", "Runs as root", HULL_SEV_HIGH, C, ANY, REST, "Running as Non-root user",
     "A process running as UID 0 owns the container's files and is one kernel bug or "
     "misconfiguration away from root on the host. The effective user is the last one set in "
     "the chain: Dockerfile USER, image config, compose user, pod and container "
     "securityContext.",
     "Create an unprivileged user in the image (USER 10001) and/or set runAsUser to a non-zero "
     "UID and runAsNonRoot: true.",
     "DS-0002,KSV-0012,KSV-0105", "4.1", "RunAsNonRoot", NULL, hull_chk_root,
     "Kubernetes (Running as Non-root user): runAsUser: 0 in the pod or in a container "
     "securityContext, each level judged on its own (a pod-level 0 fails even when every "
     "container overrides it), policy v1.23 and later; from v1.35 pods with hostUsers: false "
     "(a user namespace) are exempt. hull also reports a container for which nothing sets a "
     "user and nothing requires non-root; Restricted catches that case with HULL-C009."},
    {"HULL-C009", "runAsNonRoot not required", HULL_SEV_MEDIUM, C, K8S, REST, "Running as Non-root",
     "runAsNonRoot: true makes the kubelet refuse to start a container whose user resolves to "
     "root, whatever the image says. Without it, an image change can silently bring root "
     "back.",
     "Set securityContext.runAsNonRoot: true on the pod or on every container.", "KSV-0012", NULL,
     "RunAsNonRoot", NULL, hull_chk_run_as_non_root,
     "Kubernetes: a pod-level runAsNonRoot: false fails even when containers set true; each "
     "container needs its own true or the pod's. All policy versions; from v1.35 pods with "
     "hostUsers: false (a user namespace) are exempt."},
    {"HULL-C010", "Low or unset UID", HULL_SEV_LOW, C, K8S, HULL_PSS_NONE, NULL,
     "A UID below 10000 may be the UID of a real user or service on the node; if the "
     "container escapes, it acts with that user's rights.",
     "Set runAsUser to a UID above 10000.", "KSV-0020", NULL, "RunAsUser",
     "container-security-context-user-group-id", hull_chk_low_uid},
    {"HULL-C011", "Low or unset GID", HULL_SEV_LOW, C, K8S, HULL_PSS_NONE, NULL,
     "A GID below 10000 may match a group on the node and give access to its files after an "
     "escape.",
     "Set runAsGroup to a GID above 10000.", "KSV-0021", NULL, NULL,
     "container-security-context-user-group-id", hull_chk_low_gid},
    {"HULL-C012", "Root group", HULL_SEV_LOW, W, ANY, HULL_PSS_NONE, NULL,
     "Running with GID 0 as primary or supplementary group, or fsGroup 0, gives the process "
     "the root group's access to files, including host files reachable through mounts.",
     "Use a non-zero runAsGroup, fsGroup and supplementalGroups (or user \"uid:gid\" with a "
     "non-zero gid).",
     "KSV-0116", NULL, NULL, NULL, hull_chk_root_group},
    {"HULL-C013", "Writable root file system", HULL_SEV_MEDIUM, C, DEPLOY, HULL_PSS_NONE, NULL,
     "A read-only root file system stops an intruder from replacing binaries, dropping tools "
     "or persisting in the container; writable paths are then explicit volumes.",
     "Set readOnlyRootFilesystem: true (read_only: true, --read-only) and mount an emptyDir or "
     "tmpfs where the application writes.",
     "KSV-0014", "5.13", "ReadOnlyRootFilesystem",
     "container-security-context-readonlyrootfilesystem", hull_chk_rw_rootfs},
    {"HULL-C014", "Host network namespace", HULL_SEV_HIGH, W, DEPLOY, BASE, "Host Namespaces",
     "With the host's network the container sees every interface, can bind any host port, "
     "reach services listening on localhost and sniff traffic with NET_RAW.",
     "Remove hostNetwork: true / network_mode: host / --network host; publish the ports the "
     "service needs.",
     "KSV-0009", "5.10", "HostNetwork", NULL, hull_chk_host_network, "All policy versions."},
    {"HULL-C015", "Host PID namespace", HULL_SEV_HIGH, W, DEPLOY, BASE, "Host Namespaces",
     "With the host's PID namespace the container sees every process on the node, their "
     "command lines and environments, and can signal or trace them.",
     "Remove hostPID: true / pid: host / --pid host.", "KSV-0010", "5.16", "HostPID", NULL,
     hull_chk_host_pid, "All policy versions."},
    {"HULL-C016", "Host IPC namespace", HULL_SEV_HIGH, W, DEPLOY, BASE, "Host Namespaces",
     "With the host's IPC namespace the container can read and write the shared memory and "
     "message queues of host processes.",
     "Remove hostIPC: true / ipc: host / --ipc host.", "KSV-0008", "5.17", "HostIPC", NULL,
     hull_chk_host_ipc, "All policy versions."},
    {"HULL-C017", "Host UTS namespace", HULL_SEV_MEDIUM, W, COMPOSE | RT, HULL_PSS_NONE, NULL,
     "Sharing the host's UTS namespace lets the container change the host's hostname and "
     "domain name.",
     "Remove uts: host / --uts host.", NULL, "5.21", NULL, NULL, hull_chk_host_uts},
    {"HULL-C018", "Host user namespace", HULL_SEV_MEDIUM, W, COMPOSE | RT, HULL_PSS_NONE, NULL,
     "userns_mode: host opts the container out of the daemon's user-namespace remapping, so "
     "root in the container is root on the host.",
     "Remove userns_mode: host / --userns host.", NULL, "5.31", NULL, NULL, hull_chk_host_userns},
    {"HULL-C019", "Windows HostProcess container", HULL_SEV_HIGH, C, K8S, BASE, "HostProcess",
     "A HostProcess container runs directly on the Windows node with the node's privileges.",
     "Remove windowsOptions.hostProcess: true.", "KSV-0103", NULL, NULL, NULL,
     hull_chk_host_process,
     "Kubernetes: windowsOptions.hostProcess: true in the pod or in any container "
     "securityContext, each level on its own. All policy versions."},
    {"HULL-C020", "Host path mounted", HULL_SEV_MEDIUM, W, DEPLOY, BASE, "HostPath Volumes",
     "A host path gives the container access to the node's files: secrets, other pods' data, "
     "and a way to plant files the host runs.",
     "Use a volume (emptyDir, a PersistentVolumeClaim, a named volume) instead of a host "
     "path; if unavoidable, mount it read-only and as narrowly as possible.",
     "KSV-0023", "5.6", NULL, NULL, hull_chk_host_path,
     "Kubernetes: every hostPath volume fails Baseline, mounted or not (HULL-C020, HULL-C021 "
     "and HULL-C022 share them out by path). All policy versions."},
    {"HULL-C021", "Sensitive host directory mounted", HULL_SEV_HIGH, W, DEPLOY, BASE,
     "HostPath Volumes",
     "Mounting /, /etc, /proc, /sys, /boot, /dev, /root, /var/lib/docker, /var/lib/kubelet "
     "or the system binary directories exposes credentials, kernel interfaces or the "
     "runtime's state: usually a direct path to host root.",
     "Do not mount host system directories. Read the one file needed through a ConfigMap, a "
     "Secret or a projected volume.",
     "KSV-0121,KSV-0023", "5.6", NULL, NULL, hull_chk_sensitive_mount,
     "Kubernetes: every hostPath volume fails Baseline, mounted or not. All policy versions."},
    {"HULL-C022", "Container runtime socket mounted", HULL_SEV_CRITICAL, W, DEPLOY, BASE,
     "HostPath Volumes",
     "The Docker, containerd, CRI-O or podman socket is the runtime's API: whoever can write "
     "to it starts a privileged container with the host's root file system mounted.",
     "Do not mount the socket. Use a rootless builder (BuildKit rootless, kaniko) or a narrow "
     "proxy that allows only read-only API calls.",
     "KSV-0006,KSV-0023", "5.32", "DockerSock", NULL, hull_chk_runtime_socket,
     "Kubernetes: every hostPath volume fails Baseline, mounted or not. All policy versions."},
    {"HULL-C023", "Volume type not allowed by Restricted", HULL_SEV_LOW, W, K8S, REST,
     "Volume Types",
     "The Restricted profile allows only configMap, csi, downwardAPI, emptyDir, ephemeral, "
     "persistentVolumeClaim, projected and secret volumes; other in-tree types mount storage "
     "with node-level credentials.",
     "Use a PersistentVolumeClaim (the PersistentVolume names the storage) or a CSI volume.",
     "KSV-0028", NULL, NULL, NULL, hull_chk_volume_types,
     "Allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, "
     "projected, secret; hostPath is reported by HULL-C020 to HULL-C022. A volume without a "
     "source is an emptyDir (the API server's default). All policy versions."},
    {"HULL-C024", "Shared mount propagation", HULL_SEV_MEDIUM, C, DEPLOY, HULL_PSS_NONE, NULL,
     "With shared (Bidirectional) propagation, mounts made inside the container appear on the "
     "host and in other containers.",
     "Use private or rslave propagation (mountPropagation: None or HostToContainer).", NULL, "5.20",
     NULL, NULL, hull_chk_mount_propagation},
    {"HULL-C025", "Host device exposed", HULL_SEV_MEDIUM, C, COMPOSE | ECS | RT, HULL_PSS_NONE,
     NULL,
     "A host device in the container (a disk, /dev/mem, a GPU) can be read or written "
     "directly, bypassing the host's file permissions.",
     "Remove devices: / --device unless the workload needs the device, and then grant only "
     "the access mode it needs (r, w, m).",
     NULL, "5.18", NULL, NULL, hull_chk_devices},
    {"HULL-C026", "Host port", HULL_SEV_MEDIUM, C, K8S, BASE, "Host Ports",
     "hostPort binds a port on the node's interfaces, bypassing NetworkPolicies and Services, "
     "and limits scheduling.",
     "Remove hostPort and expose the port through a Service.", "KSV-0024", NULL, NULL, NULL,
     hull_chk_host_port,
     "Any hostPort other than 0, in every kind of container. All policy versions."},
    {"HULL-C027", "Privileged host port", HULL_SEV_LOW, C, COMPOSE | K8S | ECS | RT, HULL_PSS_NONE,
     NULL,
     "Host ports below 1024 are where system services listen (SSH, DNS, HTTP); mapping a "
     "container there can shadow or impersonate them.",
     "Map the container to a host port above 1023, or put a load balancer in front.", "KSV-0117",
     "5.8", NULL, NULL, hull_chk_privileged_port},
    {"HULL-C028", "Port published on every interface", HULL_SEV_LOW, C, COMPOSE | RT, HULL_PSS_NONE,
     NULL,
     "A port published without a host address listens on every interface of the host, "
     "public ones included, and Docker's rules bypass the host firewall.",
     "Publish on one address: \"127.0.0.1:8080:80\" (ports: with host_ip), -p "
     "127.0.0.1:8080:80.",
     NULL, "5.14", NULL, NULL, hull_chk_port_all_interfaces},
    {"HULL-C029", "SSH port exposed", HULL_SEV_MEDIUM, C, ANY, HULL_PSS_NONE, NULL,
     "Port 22 means an SSH server in the container: another way in, with its own credentials "
     "to leak, and a sign the container is managed like a VM.",
     "Remove the SSH server; use docker exec / kubectl exec for debugging.", "DS-0004", "5.7", NULL,
     NULL, hull_chk_ssh_port},
    {"HULL-C030", "Port number out of range", HULL_SEV_MEDIUM, C, ANY, HULL_PSS_NONE, NULL,
     "A port outside 0-65535 (or a port that is not a number) is a configuration error the "
     "runtime rejects or misreads.",
     "Use a port between 1 and 65535.", "DS-0008", NULL, NULL, NULL, hull_chk_port_range},
    {"HULL-C031", "Seccomp disabled", HULL_SEV_HIGH, W, DEPLOY, BASE, "Seccomp",
     "seccomp=unconfined (seccompProfile.type: Unconfined) lets the process call every "
     "system call, including the rarely used ones most kernel exploits need; a profile type "
     "the runtime does not know is not a confinement either.",
     "Remove the Unconfined setting so the runtime's default profile applies, or set "
     "RuntimeDefault / a Localhost profile.",
     "KSV-0104,KSV-0030", "5.22", NULL, NULL, hull_chk_seccomp_unconfined,
     "Kubernetes (Baseline Seccomp): from policy v1.19 only the seccompProfile fields count: a "
     "pod- or container-level type other than RuntimeDefault or Localhost (Unconfined, a "
     "misspelt type, a profile without a type) fails, and the alpha annotations are not read. "
     "Before v1.19 only the annotations seccomp.security.alpha.kubernetes.io/pod and "
     "container.seccomp.security.alpha.kubernetes.io/<container> count, with runtime/default, "
     "docker/default and localhost/<profile> allowed. At the Restricted level Windows pods are "
     "exempt from v1.25."},
    {"HULL-C032", "Seccomp profile not set", HULL_SEV_LOW, C, K8S, REST, "Seccomp",
     "Kubernetes runs containers Unconfined unless a seccomp profile is set (or the kubelet "
     "defaults to RuntimeDefault); the Restricted profile requires RuntimeDefault or "
     "Localhost.",
     "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.", "KSV-0030", NULL, NULL,
     "container-seccomp-profile", hull_chk_seccomp_unset,
     "Kubernetes (Restricted Seccomp): policy v1.19 and later, every container needs "
     "RuntimeDefault or Localhost in its own securityContext or a valid pod-level "
     "seccompProfile; the alpha annotations do not count; Windows pods are exempt from v1.25. "
     "An explicit bad value is HULL-C031's."},
    {"HULL-C033", "AppArmor disabled or overridden", HULL_SEV_MEDIUM, C, DEPLOY, BASE, "AppArmor",
     "The runtime's default AppArmor profile denies writes to /proc and /sys and mounts; "
     "unconfined (or an unknown profile) removes that layer.",
     "Remove apparmor=unconfined / the Unconfined appArmorProfile; use RuntimeDefault or a "
     "localhost profile.",
     "KSV-0002", "5.2", "ApparmorAny", NULL, hull_chk_apparmor,
     "Kubernetes: appArmorProfile.type in the pod and in each container must be RuntimeDefault "
     "or Localhost, and every container.apparmor.security.beta.kubernetes.io/* annotation "
     "(whether or not a container has that name) runtime/default, localhost/<profile> or "
     "empty. All policy versions."},
    {"HULL-C034", "Custom SELinux options", HULL_SEV_MEDIUM, W, K8S | COMPOSE | ECS | RT, BASE,
     "SELinux",
     "A custom SELinux user or role, or a type other than the container types, can give the "
     "process a more privileged domain than container_t.",
     "Remove seLinuxOptions user and role; use one of container_t, container_init_t, "
     "container_kvm_t, container_engine_t as type.",
     "KSV-0025", "5.3", NULL, NULL, hull_chk_selinux_custom,
     "Kubernetes: the type must be empty, container_t, container_init_t or container_kvm_t, "
     "and from policy v1.31 also container_engine_t; user and role must be empty; the pod and "
     "each container are judged on their own. Other inputs allow container_engine_t."},
    {"HULL-C035", "SELinux separation disabled", HULL_SEV_MEDIUM, C, COMPOSE | ECS | RT,
     HULL_PSS_NONE, NULL,
     "label=disable turns off SELinux separation for the container on SELinux hosts.",
     "Remove label=disable / label:disable from security_opt.", NULL, "5.3", NULL, NULL,
     hull_chk_selinux_disabled},
    {"HULL-C036", "Unmasked /proc", HULL_SEV_MEDIUM, C, K8S, BASE, "/proc Mount Type",
     "procMount: Unmasked exposes /proc paths the runtime normally hides (kcore, keys, "
     "sysrq-trigger ...).",
     "Remove procMount or set it to Default.", "KSV-0027", NULL, NULL, NULL, hull_chk_proc_mount,
     "Kubernetes: anything but Default, all policy versions; from v1.35 the Baseline level "
     "admits pods with hostUsers: false (a user namespace), the Restricted level does not."},
    {"HULL-C037", "Unsafe sysctl", HULL_SEV_MEDIUM, W, K8S | COMPOSE | ECS | RT, BASE, "Sysctls",
     "Only a few sysctls are namespaced and isolated per pod; the others change the whole "
     "node's kernel or can disable security mechanisms.",
     "Use only the safe sysctls (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, "
     "net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies, "
     "net.ipv4.ping_group_range, net.ipv4.ip_local_reserved_ports, the tcp_keepalive, "
     "tcp_fin_timeout, tcp_rmem / tcp_wmem, tcp_slow_start_after_idle and tcp_notsent_lowat "
     "ones, as far as the cluster's policy version allows them); set others on the node.",
     "KSV-0026", NULL, NULL, NULL, hull_chk_sysctls,
     "Kubernetes: the safe set of the policy version: kernel.shm_rmid_forced, "
     "net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range and "
     "net.ipv4.ip_unprivileged_port_start (all versions), net.ipv4.ip_local_reserved_ports "
     "(v1.27), net.ipv4.tcp_keepalive_time, net.ipv4.tcp_fin_timeout, "
     "net.ipv4.tcp_keepalive_intvl and net.ipv4.tcp_keepalive_probes (v1.29), "
     "net.ipv4.tcp_rmem and net.ipv4.tcp_wmem (v1.32), net.ipv4.tcp_slow_start_after_idle and "
     "net.ipv4.tcp_notsent_lowat (v1.37). Compose, ECS and running containers: the newest set."},
    {"HULL-C038", "Probe or hook targets another host", HULL_SEV_MEDIUM, C, K8S, BASE,
     "Host Probes / Lifecycle Hooks",
     "A probe or lifecycle hook with a host field makes the kubelet connect from the node to "
     "any address: a server-side request forgery vector.",
     "Remove the host field so probes go to the pod's own IP.", NULL, NULL, NULL, NULL,
     hull_chk_probe_host,
     "Kubernetes: policy v1.34 and later (the control is new in v1.34); probes of every kind "
     "of container and the postStart / preStop handlers."},
    {"HULL-C039", "No memory limit", HULL_SEV_MEDIUM, C, DEPLOY, HULL_PSS_NONE, NULL,
     "Without a memory limit one container can take all of the host's memory, and the OOM "
     "killer then picks processes across containers.",
     "Set resources.limits.memory (mem_limit / deploy.resources.limits.memory, --memory, "
     "memory).",
     "KSV-0018", "5.11", "LimitsMemory", "container-resources", hull_chk_mem_limit},
    {"HULL-C040", "No CPU limit", HULL_SEV_LOW, C, DEPLOY, HULL_PSS_NONE, NULL,
     "Without a CPU limit one container can starve its neighbours of CPU.",
     "Set resources.limits.cpu (cpus / deploy.resources.limits.cpus, --cpus, task cpu).",
     "KSV-0011", "5.12", "LimitsCPU", "container-resources", hull_chk_cpu_limit},
    {"HULL-C041", "No pids limit", HULL_SEV_LOW, C, COMPOSE | RT, HULL_PSS_NONE, NULL,
     "Without a pids limit a fork bomb in the container exhausts the host's process table and "
     "stops every other service.",
     "Set pids_limit (deploy.resources.limits.pids, --pids-limit).", NULL, "5.29", NULL, NULL,
     hull_chk_pids_limit},
    {"HULL-C042", "No memory request", HULL_SEV_LOW, C, K8S, HULL_PSS_NONE, NULL,
     "Without a memory request the scheduler may overcommit the node and the pod is among "
     "the first evicted.",
     "Set resources.requests.memory.", "KSV-0016", NULL, "RequestsMemory", "container-resources",
     hull_chk_mem_request},
    {"HULL-C043", "No CPU request", HULL_SEV_LOW, C, K8S, HULL_PSS_NONE, NULL,
     "Without a CPU request the scheduler may overcommit the node and the pod gets the "
     "smallest CPU share under contention.",
     "Set resources.requests.cpu.", "KSV-0015", NULL, "RequestsCPU", "container-resources",
     hull_chk_cpu_request},
    {"HULL-C044", "No ephemeral-storage limit", HULL_SEV_LOW, C, K8S, HULL_PSS_NONE, NULL,
     "Logs, emptyDir and the writable layer count against the node's disk; without a limit "
     "one pod can fill it and get every pod on the node evicted.",
     "Set resources.limits.ephemeral-storage.", NULL, NULL, NULL,
     "container-ephemeral-storage-request-and-limit", hull_chk_ephemeral_limit},
    {"HULL-C045", "Image tag latest or missing", HULL_SEV_MEDIUM, C, ANY, HULL_PSS_NONE, NULL,
     "':latest' (or no tag) points at whatever was pushed last: builds and deployments stop "
     "being reproducible, and a compromised or broken push goes live silently.",
     "Pin a version tag, and a digest (image:1.2.3@sha256:...) where possible.", "DS-0001,KSV-0013",
     NULL, NULL, "container-image-tag", hull_chk_image_tag},
    {"HULL-C046", "Image pull policy not Always", HULL_SEV_LOW, C, K8S, HULL_PSS_NONE, NULL,
     "With IfNotPresent or Never a pod can start from an image cached on the node without the "
     "registry checking its pull credentials, and a re-pushed tag is not noticed.",
     "Set imagePullPolicy: Always (or reference images by digest).", NULL, NULL, NULL,
     "container-image-pull-policy", hull_chk_pull_policy},
    {"HULL-C047", "Secret in the environment", HULL_SEV_HIGH, C, ANY, HULL_PSS_NONE, NULL,
     "A password or key written into ENV, ARG, compose environment, a pod spec or a task "
     "definition is visible to anyone who can read the file, inspect the container or the "
     "image history, and ends up in logs.",
     "Use a secret store: Kubernetes Secrets through secretKeyRef, compose secrets, ECS "
     "secrets, BuildKit secret mounts (RUN --mount=type=secret).",
     "DS-0031", "4.10", NULL, NULL, hull_chk_env_secret},
    {"HULL-C048", "No health check", HULL_SEV_LOW, C, DF | IMG | COMPOSE | ECS | RT, HULL_PSS_NONE,
     NULL,
     "Without a health check the engine cannot tell a hung process from a working one: "
     "nothing restarts it, and Compose's depends_on cannot wait for it to be healthy. Services "
     "that run to completion (job modes, services others wait for with "
     "service_completed_successfully) are not reported.",
     "Add a HEALTHCHECK instruction (healthcheck in Compose, healthCheck in ECS) that exercises "
     "the service; do not disable the image's.",
     "DS-0026", "4.6", NULL, NULL, hull_chk_healthcheck},
    {"HULL-C049", "No readiness probe", HULL_SEV_LOW, W, K8S, HULL_PSS_NONE, NULL,
     "Without a readiness probe a Service sends traffic to pods that are not ready yet, or no "
     "longer able to serve. One container with a probe is enough for the pod. When the input "
     "has Services and none selects the pods, nothing waits on readiness and the rule is "
     "quiet; Jobs and CronJobs are not reported.",
     "Add a readinessProbe to the container that serves the traffic.", NULL, NULL, NULL,
     "pod-probes", hull_chk_readiness},
    {"HULL-C050", "Service account token mounted", HULL_SEV_MEDIUM, W, K8S, HULL_PSS_NONE, NULL,
     "automountServiceAccountToken: true (on the pod, or on the ServiceAccount of the same "
     "input when the pod does not set it) puts an API token in every container; code "
     "execution in the pod becomes API access with the service account's rights.",
     "Set automountServiceAccountToken: false unless the pod calls the API.", "KSV-0036", NULL,
     "AutomountServiceAccountToken", NULL, hull_chk_sa_token},
    {"HULL-C051", "Workload in kube-system", HULL_SEV_MEDIUM, W, K8S, HULL_PSS_NONE, NULL,
     "kube-system holds the control plane's service accounts and secrets; user workloads "
     "there share its trust and its exemptions from admission policies.",
     "Deploy the workload in its own namespace.", "KSV-0037", NULL, NULL, NULL,
     hull_chk_kube_system},
    {"HULL-C052", "Workload in the default namespace", HULL_SEV_LOW, W, K8S, HULL_PSS_NONE, NULL,
     "The default namespace is shared by everything deployed without thinking; policies, "
     "quotas and RBAC are hard to scope there.",
     "Deploy the workload in a dedicated namespace.", "KSV-0110", NULL, NULL, NULL,
     hull_chk_default_namespace},
    {"HULL-C053", "hostAliases set", HULL_SEV_LOW, W, K8S, HULL_PSS_NONE, NULL,
     "hostAliases rewrite /etc/hosts in the pod, which can redirect traffic meant for other "
     "services.",
     "Use DNS (a Service or an ExternalName) instead of hostAliases.", "KSV-0007", NULL, NULL, NULL,
     hull_chk_host_aliases},
    {"HULL-C054", "Restart policy not limited to 5 retries", HULL_SEV_LOW, W, COMPOSE | RT,
     HULL_PSS_NONE, NULL,
     "restart: always or unless-stopped, on-failure without a maximum, and a Compose "
     "deploy.restart_policy whose condition is any (the default) or that has no "
     "max_attempts restart a crashing container forever, which can hide an attack and "
     "exhaust the host. CIS 5.15 sets the on-failure limit at 5; other counts are reported "
     "too, as docker-bench-security does.",
     "Use restart: on-failure:5 (--restart on-failure:5), or deploy.restart_policy with "
     "condition: on-failure and max_attempts: 5.",
     NULL, "5.15", NULL, NULL, hull_chk_restart_policy},
    {"HULL-C055", "Custom cgroup parent", HULL_SEV_LOW, W, COMPOSE | RT, HULL_PSS_NONE, NULL,
     "A custom cgroup parent moves the container out of the runtime's resource hierarchy; its "
     "limits then depend on that cgroup's.",
     "Remove cgroup_parent unless the host's cgroup layout requires it.", NULL, "5.25", NULL, NULL,
     hull_chk_cgroup_parent},
    {"HULL-C056", "Helm Tiller deployed", HULL_SEV_CRITICAL, C, K8S, HULL_PSS_NONE, NULL,
     "Tiller (Helm 2) serves an unauthenticated gRPC API with cluster-admin rights to every "
     "pod in the cluster.",
     "Remove Tiller and migrate to Helm 3.", "KSV-0102", NULL, NULL, NULL, hull_chk_k8s_tiller},
    /* Dockerfile */
    {"HULL-C057", "ADD used to copy local files", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "ADD also downloads URLs and unpacks archives; for local files COPY does exactly what is "
     "written and nothing more.",
     "Replace ADD with COPY.", "DS-0005", "4.9", NULL, NULL, hull_chk_df_add},
    {"HULL-C058", "ADD of a remote URL", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "ADD <url> fetches at build time without verifying what it got (unless --checksum is "
     "given): a compromised server changes the image.",
     "Download with curl and check a pinned checksum, or use ADD --checksum=sha256:...", NULL,
     "4.9", NULL, NULL, hull_chk_df_add_url},
    {"HULL-C059", "ADD unpacks an archive", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "ADD unpacks local tar archives automatically; paths and links inside the archive are "
     "trusted as they are.",
     "Unpack explicitly in a RUN step you can review, or COPY the files themselves.", NULL, "4.9",
     NULL, NULL, hull_chk_df_add_archive},
    {"HULL-C060", "COPY --from names its own stage", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "A stage cannot copy from itself; the build fails or copies from a different image of "
     "the same name.",
     "Name the stage you meant in --from.", "DS-0006", NULL, NULL, NULL,
     hull_chk_df_copy_from_self},
    {"HULL-C061", "Several ENTRYPOINT instructions", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "Only the last ENTRYPOINT of a stage counts; the others mislead readers and reviewers.",
     "Keep one ENTRYPOINT per stage.", "DS-0007", NULL, NULL, NULL, hull_chk_df_multi_entrypoint},
    {"HULL-C062", "Several CMD instructions", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "Only the last CMD of a stage counts; the others mislead readers and reviewers.",
     "Keep one CMD per stage.", "DS-0016", NULL, NULL, NULL, hull_chk_df_multi_cmd},
    {"HULL-C063", "Several HEALTHCHECK instructions", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "Only the last HEALTHCHECK of a stage counts.", "Keep one HEALTHCHECK per stage.", "DS-0023",
     NULL, NULL, NULL, hull_chk_df_multi_healthcheck},
    {"HULL-C064", "Relative WORKDIR", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "A relative WORKDIR depends on every WORKDIR before it, including the base image's; files "
     "land somewhere unexpected.",
     "Use absolute paths in WORKDIR.", "DS-0009", NULL, NULL, NULL, hull_chk_df_workdir_relative},
    {"HULL-C065", "WORKDIR in a system directory", HULL_SEV_HIGH, B, DF, HULL_PSS_NONE, NULL,
     "/proc, /sys, /dev and /boot are kernel interfaces and mount points, not places to put an "
     "application.",
     "Use an application directory such as /app.", "DS-0030", NULL, NULL, NULL,
     hull_chk_df_workdir_system},
    {"HULL-C066", "sudo in RUN", HULL_SEV_HIGH, B, DF, HULL_PSS_NONE, NULL,
     "Build steps already run as root unless USER says otherwise; sudo in an image is an "
     "escalation path left for later.",
     "Remove sudo; switch USER around the steps that need root.", "DS-0010", NULL, NULL, NULL,
     hull_chk_df_sudo},
    {"HULL-C067", "COPY to a directory without a trailing slash", HULL_SEV_MEDIUM, B, DF,
     HULL_PSS_NONE, NULL,
     "With several sources the destination must be a directory ending with '/'; otherwise the "
     "build fails.",
     "End the destination with '/'.", "DS-0011", NULL, NULL, NULL, hull_chk_df_copy_dest_slash},
    {"HULL-C068", "Duplicate stage name", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "Two stages with the same name make COPY --from and --target ambiguous.",
     "Give every stage a unique name.", "DS-0012", NULL, NULL, NULL, hull_chk_df_dup_alias},
    {"HULL-C069", "cd in RUN", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "cd in a RUN step lasts only for that step and hides where files go.", "Use WORKDIR.",
     "DS-0013", NULL, NULL, NULL, hull_chk_df_run_cd},
    {"HULL-C070", "Both wget and curl", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "Two download tools in one stage means two tools in the image for an attacker to use.",
     "Use one of them.", "DS-0014", NULL, NULL, NULL, hull_chk_df_wget_curl},
    {"HULL-C071", "yum install without yum clean all", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "The yum cache stays in the layer: a bigger image with stale package metadata.",
     "End the RUN step with 'yum clean all'.", "DS-0015", NULL, NULL, NULL, hull_chk_df_yum_clean},
    {"HULL-C072", "dnf install without dnf clean all", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "The dnf cache stays in the layer.", "End the RUN step with 'dnf clean all'.", "DS-0019", NULL,
     NULL, NULL, hull_chk_df_dnf_clean},
    {"HULL-C073", "microdnf install without microdnf clean all", HULL_SEV_LOW, B, DF, HULL_PSS_NONE,
     NULL, "The microdnf cache stays in the layer.", "End the RUN step with 'microdnf clean all'.",
     "DS-0027", NULL, NULL, NULL, hull_chk_df_microdnf_clean},
    {"HULL-C074", "zypper install without zypper clean", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "The zypper cache stays in the layer.", "End the RUN step with 'zypper clean'.", "DS-0020",
     NULL, NULL, NULL, hull_chk_df_zypper_clean},
    {"HULL-C075", "apt-get install without -y", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "Without -y apt-get asks for confirmation and a non-interactive build fails or hangs.",
     "Add -y (--yes).", "DS-0021", NULL, NULL, NULL, hull_chk_df_apt_yes},
    {"HULL-C076", "apt-get install without --no-install-recommends", HULL_SEV_LOW, B, DF,
     HULL_PSS_NONE, NULL,
     "Recommended packages come in by default: more code, more vulnerabilities.",
     "Add --no-install-recommends.", "DS-0029", NULL, NULL, NULL, hull_chk_df_apt_recommends},
    {"HULL-C077", "Package upgrade in the image", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "apt-get upgrade / dist-upgrade (apk, dnf, yum upgrade) in a Dockerfile pulls whatever is "
     "current at build time: builds are not reproducible and the base image's tested set is "
     "gone.",
     "Use a newer base image, or install pinned versions of the packages you need.", "DS-0024",
     NULL, NULL, NULL, hull_chk_df_upgrade},
    {"HULL-C078", "Package index update alone", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "An 'apt-get update' (apk update) in its own RUN step is cached as a layer; later "
     "installs use a stale index and get old, vulnerable packages.",
     "Update and install in the same RUN step.", "DS-0017", "4.7", NULL, NULL,
     hull_chk_df_update_alone},
    {"HULL-C079", "apk add without --no-cache", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "Without --no-cache the package index stays in the layer.", "Use apk add --no-cache.",
     "DS-0025", NULL, NULL, NULL, hull_chk_df_apk_cache},
    {"HULL-C080", "MAINTAINER is deprecated", HULL_SEV_LOW, B, DF, HULL_PSS_NONE, NULL,
     "MAINTAINER has been deprecated since Docker 1.13.",
     "Use LABEL org.opencontainers.image.authors=\"...\".", "DS-0022", NULL, NULL, NULL,
     hull_chk_df_maintainer},
    {"HULL-C081", "Download piped into a shell", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "curl ... | sh runs whatever the server sends, unverified, as root in the build.",
     "Download to a file, verify a pinned checksum or signature, then run it.", NULL, "4.11", NULL,
     NULL, hull_chk_df_curl_pipe_sh},
    {"HULL-C082", "setuid or setgid bit set", HULL_SEV_MEDIUM, B, DF, HULL_PSS_NONE, NULL,
     "A setuid/setgid binary in the image lets any user in the container run it with its "
     "owner's privileges.",
     "Do not add setuid/setgid bits; remove the existing ones (find / -perm /6000 -exec chmod "
     "a-s {} +).",
     NULL, "4.8", NULL, NULL, hull_chk_df_setuid},
    /* Kubernetes objects */
    {"HULL-C083", "Secret in a ConfigMap", HULL_SEV_HIGH, O, K8S, HULL_PSS_NONE, NULL,
     "ConfigMaps are readable by far more subjects than Secrets, are not encrypted at rest by "
     "default and end up in logs and dumps.",
     "Move the value to a Secret (or an external secret store) and reference it.",
     "KSV-0109,KSV-01010", NULL, NULL, NULL, hull_chk_k8s_configmap_secret},
    {"HULL-C084", "ingress-nginx annotation injection", HULL_SEV_CRITICAL, O, K8S, HULL_PSS_NONE,
     NULL,
     "ingress-nginx copies some annotations into its nginx configuration; characters such as "
     "'|', '#', ';', quotes or newlines inject directives (CVE-2025-1097, CVE-2025-1098, "
     "CVE-2025-24514).",
     "Use plain URLs and names in auth-url, auth-tls-match-cn, mirror-target and mirror-host, "
     "and upgrade ingress-nginx to 1.12.1 / 1.11.5 or later.",
     "KCV-0093", NULL, NULL, NULL, hull_chk_k8s_ingress_nginx},
    {"HULL-C085", "NetworkPolicy without podSelector", HULL_SEV_MEDIUM, O, K8S, HULL_PSS_NONE, NULL,
     "A NetworkPolicy without spec.podSelector does not say which pods it isolates.",
     "Set spec.podSelector ({} selects every pod of the namespace).", "KSV-0038", NULL, NULL, NULL,
     hull_chk_k8s_netpol_selector},
    {"HULL-C086", "Service with externalIPs", HULL_SEV_HIGH, O, K8S, HULL_PSS_NONE, NULL,
     "externalIPs let anyone who can create Services intercept traffic to any address "
     "(CVE-2020-8554).",
     "Use a LoadBalancer or NodePort Service; block externalIPs with an admission policy.",
     "KSV-0108", NULL, NULL, NULL, hull_chk_k8s_external_ips},
    {"HULL-C087", "Removed API version", HULL_SEV_LOW, O, K8S, HULL_PSS_NONE, NULL,
     "The apiVersion was removed from Kubernetes: the manifest no longer applies, and it "
     "usually predates today's secure defaults.",
     "Move to the current apiVersion (apps/v1, networking.k8s.io/v1, batch/v1, policy/v1 ...).",
     "KSV-0107", NULL, NULL, NULL, hull_chk_k8s_deprecated_api},
    {"HULL-C088", "RBAC wildcard", HULL_SEV_CRITICAL, O, K8S, HULL_PSS_NONE, NULL,
     "'*' in verbs or resources grants everything in the rule's scope, including what later "
     "versions and CRDs add.",
     "List the verbs and resources the subject needs.", "KSV-0044,KSV-0045,KSV-0046,KSV-0112", NULL,
     NULL, NULL, hull_chk_k8s_rbac_wildcard},
    {"HULL-C089", "RBAC read access to Secrets", HULL_SEV_HIGH, O, K8S, HULL_PSS_NONE, NULL,
     "Reading Secrets usually means reading service account tokens of more privileged "
     "accounts: an escalation path.",
     "Grant get on named Secrets (resourceNames) only, never list or watch.", "KSV-0041,KSV-0113",
     NULL, NULL, NULL, hull_chk_k8s_rbac_secrets},
    {"HULL-C090", "RBAC exec into or create pods", HULL_SEV_HIGH, O, K8S, HULL_PSS_NONE, NULL,
     "exec/attach into pods, or creating workloads, runs code with the pods' service accounts "
     "and host access: a common path to cluster-admin.",
     "Remove pods/exec, pods/attach and workload write access from roles that do not deploy.",
     "KSV-0053,KSV-0054,KSV-0048", NULL, NULL, NULL, hull_chk_k8s_rbac_exec},
    {"HULL-C091", "RBAC privilege escalation verbs", HULL_SEV_CRITICAL, O, K8S, HULL_PSS_NONE, NULL,
     "escalate, bind and impersonate, or creating role bindings, let a subject grant itself "
     "any permission.",
     "Remove these verbs and binding write access.", "KSV-0050,KSV-0043,KSV-0051,KSV-0052,KSV-0055",
     NULL, NULL, NULL, hull_chk_k8s_rbac_escalate},
    {"HULL-C092", "RBAC nodes/proxy access", HULL_SEV_HIGH, O, K8S, HULL_PSS_NONE, NULL,
     "nodes/proxy reaches the kubelet API directly (exec into any pod of the node) without "
     "admission control or audit of the inner request.",
     "Remove nodes/proxy from the role.", "KSV-0047", NULL, NULL, NULL,
     hull_chk_k8s_rbac_nodes_proxy},
    {"HULL-C093", "Binding to a privileged or anonymous group", HULL_SEV_CRITICAL, O, K8S,
     HULL_PSS_NONE, NULL,
     "Binding roles to system:anonymous, system:unauthenticated or system:authenticated grants "
     "them to everyone who reaches the API server; system:masters and cluster-admin bypass "
     "RBAC entirely.",
     "Bind roles to named users, groups and service accounts with the least privilege.",
     "KSV-0122,KSV-01011,KSV-0123,KSV-0111", NULL, NULL, NULL, hull_chk_k8s_rbac_group_binding},
    {"HULL-C094", "RBAC control of webhooks or traffic", HULL_SEV_HIGH, O, K8S, HULL_PSS_NONE, NULL,
     "Changing admission webhooks intercepts every object (Secrets included); changing "
     "Services, endpoints or NetworkPolicies redirects traffic; the EKS aws-auth ConfigMap "
     "maps AWS identities to roles.",
     "Keep these permissions to cluster administrators.", "KSV-0114,KSV-0056,KSV-0115", NULL, NULL,
     NULL, hull_chk_k8s_rbac_webhooks},
    {"HULL-C095", "No liveness probe", HULL_SEV_LOW, C, K8S, HULL_PSS_NONE, NULL,
     "Without a liveness probe Kubernetes restarts a container only when its process exits; "
     "a hung or deadlocked one keeps its place. Jobs and CronJobs are not reported.",
     "Add a livenessProbe that checks the process itself (not its dependencies), different "
     "from the readiness probe.",
     NULL, NULL, NULL, NULL, hull_chk_liveness},
    {"HULL-C096", "Service account token mounted by default", HULL_SEV_LOW, W, K8S, HULL_PSS_NONE,
     NULL,
     "A pod that does not set automountServiceAccountToken gets its service account's API "
     "token mounted, as Kubernetes does by default, unless the ServiceAccount (when the same "
     "input has it) sets it to false.",
     "Set automountServiceAccountToken: false on the pod spec (or on its ServiceAccount) unless "
     "the pod calls the API.",
     NULL, NULL, NULL, NULL, hull_chk_sa_token_default},
};

const struct hull_rule *hull_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

const struct hull_rule *hull_rule_find(const char *id)
{
	for (size_t i = 0; id && i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcasecmp(rules[i].id, id))
			return &rules[i];
	return NULL;
}
