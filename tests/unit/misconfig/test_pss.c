/* Pod Security Standards, table-driven: one manifest per control and per
 * allowed and forbidden value the Kubernetes documentation lists
 * (concepts/security/pod-security-standards, the v1.34 page with the Host
 * Probes control). Each manifest is a Restricted-compliant pod with one
 * change; the test runs `--profile baseline` for Baseline controls and
 * `--profile restricted` for Restricted ones and checks that the rules
 * implementing the control fire exactly for the forbidden values. */
#include "helpers.h"
#include "tap.h"

#define POD_SC   "runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}"
#define CTR_SC   "allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}"
#define SAFE_CTR "securityContext: {" CTR_SC "}"

struct pss_case {
	const char *what;
	enum hull_profile_sel profile;
	const char *rules; /* the control's rules */
	bool forbidden;
	const char *pod_sc;    /* NULL: POD_SC */
	const char *ctr_sc;    /* NULL: CTR_SC */
	const char *ann;       /* metadata.annotations entries */
	const char *ctr_extra; /* more keys of the container (one line, 4 spaces) */
	const char *pod_extra; /* more keys of the pod spec (one line, 2 spaces) */
};

#define B HULL_PROFILE_BASELINE
#define R HULL_PROFILE_RESTRICTED

#define HOSTNS  "HULL-C014,HULL-C015,HULL-C016"
#define CAPS_B  "HULL-C002,HULL-C003"
#define HOSTPTH "HULL-C020,HULL-C021,HULL-C022"
#define VOLS    "HULL-C023,HULL-C020,HULL-C021,HULL-C022"
#define SECC_R  "HULL-C031,HULL-C032"
#define CAPS_R  "HULL-C006,HULL-C004,HULL-C002,HULL-C003"

static const struct pss_case cases[] = {
    /* ---- Baseline: HostProcess */
    {"hostProcess undefined", B, "HULL-C019", false},
    {"pod hostProcess: false", B, "HULL-C019", false,
     POD_SC ", windowsOptions: {hostProcess: false}"},
    {"pod hostProcess: true", B, "HULL-C019", true, POD_SC ", windowsOptions: {hostProcess: true}"},
    {"container hostProcess: true", B, "HULL-C019", true, NULL,
     CTR_SC ", windowsOptions: {hostProcess: true}"},
    {"container hostProcess: false", B, "HULL-C019", false, NULL,
     CTR_SC ", windowsOptions: {hostProcess: false}"},
    {"initContainer hostProcess: true", B, "HULL-C019", true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {windowsOptions: {hostProcess: "
     "true}}}]"},
    {"ephemeralContainer hostProcess: true", B, "HULL-C019", true, NULL, NULL, NULL, NULL,
     "ephemeralContainers: [{name: e, image: r/e:1, securityContext: {windowsOptions: "
     "{hostProcess: true}}}]"},
    /* ---- Baseline: Host Namespaces */
    {"host namespaces undefined", B, HOSTNS, false},
    {"hostNetwork: false", B, HOSTNS, false, NULL, NULL, NULL, NULL, "hostNetwork: false"},
    {"hostNetwork: true", B, HOSTNS, true, NULL, NULL, NULL, NULL, "hostNetwork: true"},
    {"hostPID: false", B, HOSTNS, false, NULL, NULL, NULL, NULL, "hostPID: false"},
    {"hostPID: true", B, HOSTNS, true, NULL, NULL, NULL, NULL, "hostPID: true"},
    {"hostIPC: false", B, HOSTNS, false, NULL, NULL, NULL, NULL, "hostIPC: false"},
    {"hostIPC: true", B, HOSTNS, true, NULL, NULL, NULL, NULL, "hostIPC: true"},
    /* ---- Baseline: Privileged Containers */
    {"privileged undefined", B, "HULL-C001", false},
    {"privileged: false", B, "HULL-C001", false, NULL, CTR_SC ", privileged: false"},
    {"privileged: true", B, "HULL-C001", true, NULL, CTR_SC ", privileged: true"},
    {"initContainer privileged: true", B, "HULL-C001", true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {privileged: true}}]"},
    {"ephemeralContainer privileged: true", B, "HULL-C001", true, NULL, NULL, NULL, NULL,
     "ephemeralContainers: [{name: e, image: r/e:1, securityContext: {privileged: true}}]"},
    /* ---- Baseline: Capabilities (allowed list) */
    {"capabilities.add undefined", B, CAPS_B, false},
    {"add AUDIT_WRITE", B, CAPS_B, false, NULL, "capabilities: {add: [AUDIT_WRITE]}"},
    {"add CHOWN", B, CAPS_B, false, NULL, "capabilities: {add: [CHOWN]}"},
    {"add DAC_OVERRIDE", B, CAPS_B, false, NULL, "capabilities: {add: [DAC_OVERRIDE]}"},
    {"add FOWNER", B, CAPS_B, false, NULL, "capabilities: {add: [FOWNER]}"},
    {"add FSETID", B, CAPS_B, false, NULL, "capabilities: {add: [FSETID]}"},
    {"add KILL", B, CAPS_B, false, NULL, "capabilities: {add: [KILL]}"},
    {"add MKNOD", B, CAPS_B, false, NULL, "capabilities: {add: [MKNOD]}"},
    {"add NET_BIND_SERVICE", B, CAPS_B, false, NULL, "capabilities: {add: [NET_BIND_SERVICE]}"},
    {"add SETFCAP", B, CAPS_B, false, NULL, "capabilities: {add: [SETFCAP]}"},
    {"add SETGID", B, CAPS_B, false, NULL, "capabilities: {add: [SETGID]}"},
    {"add SETPCAP", B, CAPS_B, false, NULL, "capabilities: {add: [SETPCAP]}"},
    {"add SETUID", B, CAPS_B, false, NULL, "capabilities: {add: [SETUID]}"},
    {"add SYS_CHROOT", B, CAPS_B, false, NULL, "capabilities: {add: [SYS_CHROOT]}"},
    {"add NET_RAW", B, CAPS_B, true, NULL, "capabilities: {add: [NET_RAW]}"},
    {"add SYS_ADMIN", B, CAPS_B, true, NULL, "capabilities: {add: [SYS_ADMIN]}"},
    {"add CAP_SYS_MODULE", B, CAPS_B, true, NULL, "capabilities: {add: [CAP_SYS_MODULE]}"},
    {"add ALL", B, CAPS_B, true, NULL, "capabilities: {add: [ALL]}"},
    {"add IPC_LOCK", B, CAPS_B, true, NULL, "capabilities: {add: [IPC_LOCK]}"},
    {"initContainer add SYS_PTRACE", B, CAPS_B, true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {capabilities: {add: "
     "[SYS_PTRACE]}}}]"},
    {"ephemeralContainer add NET_ADMIN", B, CAPS_B, true, NULL, NULL, NULL, NULL,
     "ephemeralContainers: [{name: e, image: r/e:1, securityContext: {capabilities: {add: "
     "[NET_ADMIN]}}}]"},
    /* ---- Baseline: HostPath Volumes */
    {"volumes undefined", B, HOSTPTH, false},
    {"emptyDir volume", B, HOSTPTH, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, emptyDir: {}}]"},
    {"hostPath /data", B, HOSTPTH, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, hostPath: {path: /data}}]"},
    {"hostPath /etc (not mounted)", B, HOSTPTH, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, hostPath: {path: /etc}}]"},
    {"hostPath docker.sock", B, HOSTPTH, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, hostPath: {path: /var/run/docker.sock, type: Socket}}]"},
    /* ---- Baseline: Host Ports */
    {"hostPort undefined", B, "HULL-C026", false, NULL, NULL, NULL,
     "ports: [{containerPort: 8080}]"},
    {"hostPort: 0", B, "HULL-C026", false, NULL, NULL, NULL,
     "ports: [{containerPort: 8080, hostPort: 0}]"},
    {"hostPort: 8080", B, "HULL-C026", true, NULL, NULL, NULL,
     "ports: [{containerPort: 8080, hostPort: 8080}]"},
    {"initContainer hostPort", B, "HULL-C026", true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, ports: [{containerPort: 80, hostPort: 80}]}]"},
    {"ephemeralContainer hostPort", B, "HULL-C026", true, NULL, NULL, NULL, NULL,
     "ephemeralContainers: [{name: e, image: r/e:1, ports: [{containerPort: 80, hostPort: "
     "80}]}]"},
    /* ---- Baseline: Host Probes / Lifecycle Hooks */
    {"probe host undefined", B, "HULL-C038", false, NULL, NULL, NULL,
     "livenessProbe: {httpGet: {path: /, port: 80}}"},
    {"livenessProbe httpGet host \"\"", B, "HULL-C038", false, NULL, NULL, NULL,
     "livenessProbe: {httpGet: {host: \"\", path: /, port: 80}}"},
    {"livenessProbe httpGet host", B, "HULL-C038", true, NULL, NULL, NULL,
     "livenessProbe: {httpGet: {host: 169.254.169.254, path: /, port: 80}}"},
    {"readinessProbe httpGet host", B, "HULL-C038", true, NULL, NULL, NULL,
     "readinessProbe: {httpGet: {host: example.com, port: 80}}"},
    {"startupProbe httpGet host", B, "HULL-C038", true, NULL, NULL, NULL,
     "startupProbe: {httpGet: {host: example.com, port: 80}}"},
    {"livenessProbe tcpSocket host", B, "HULL-C038", true, NULL, NULL, NULL,
     "livenessProbe: {tcpSocket: {host: 10.0.0.1, port: 22}}"},
    {"readinessProbe tcpSocket host", B, "HULL-C038", true, NULL, NULL, NULL,
     "readinessProbe: {tcpSocket: {host: 10.0.0.1, port: 22}}"},
    {"startupProbe tcpSocket host", B, "HULL-C038", true, NULL, NULL, NULL,
     "startupProbe: {tcpSocket: {host: 10.0.0.1, port: 22}}"},
    {"postStart httpGet host", B, "HULL-C038", true, NULL, NULL, NULL,
     "lifecycle: {postStart: {httpGet: {host: example.com, port: 80}}}"},
    {"preStop httpGet host", B, "HULL-C038", true, NULL, NULL, NULL,
     "lifecycle: {preStop: {httpGet: {host: example.com, port: 80}}}"},
    {"postStart tcpSocket host", B, "HULL-C038", true, NULL, NULL, NULL,
     "lifecycle: {postStart: {tcpSocket: {host: example.com, port: 80}}}"},
    {"preStop tcpSocket host", B, "HULL-C038", true, NULL, NULL, NULL,
     "lifecycle: {preStop: {tcpSocket: {host: example.com, port: 80}}}"},
    {"preStop tcpSocket host \"\"", B, "HULL-C038", false, NULL, NULL, NULL,
     "lifecycle: {preStop: {tcpSocket: {host: \"\", port: 80}}}"},
    {"initContainer probe host", B, "HULL-C038", true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, startupProbe: {httpGet: {host: h, port: 1}}}]"},
    /* ---- Baseline: AppArmor */
    {"appArmorProfile undefined", B, "HULL-C033", false},
    {"pod appArmorProfile RuntimeDefault", B, "HULL-C033", false,
     POD_SC ", appArmorProfile: {type: RuntimeDefault}"},
    {"pod appArmorProfile Localhost", B, "HULL-C033", false,
     POD_SC ", appArmorProfile: {type: Localhost, localhostProfile: k8s-apparmor}"},
    {"pod appArmorProfile Unconfined", B, "HULL-C033", true,
     POD_SC ", appArmorProfile: {type: Unconfined}"},
    {"container appArmorProfile RuntimeDefault", B, "HULL-C033", false, NULL,
     CTR_SC ", appArmorProfile: {type: RuntimeDefault}"},
    {"container appArmorProfile Localhost", B, "HULL-C033", false, NULL,
     CTR_SC ", appArmorProfile: {type: Localhost, localhostProfile: p}"},
    {"container appArmorProfile Unconfined", B, "HULL-C033", true, NULL,
     CTR_SC ", appArmorProfile: {type: Unconfined}"},
    {"annotation runtime/default", B, "HULL-C033", false, NULL, NULL,
     "container.apparmor.security.beta.kubernetes.io/app: runtime/default"},
    {"annotation localhost/profile", B, "HULL-C033", false, NULL, NULL,
     "container.apparmor.security.beta.kubernetes.io/app: localhost/k8s-apparmor"},
    {"annotation unconfined", B, "HULL-C033", true, NULL, NULL,
     "container.apparmor.security.beta.kubernetes.io/app: unconfined"},
    {"annotation custom", B, "HULL-C033", true, NULL, NULL,
     "container.apparmor.security.beta.kubernetes.io/app: custom"},
    /* ---- Baseline: SELinux */
    {"seLinuxOptions undefined", B, "HULL-C034", false},
    {"pod type \"\"", B, "HULL-C034", false, POD_SC ", seLinuxOptions: {type: \"\"}"},
    {"pod type container_t", B, "HULL-C034", false, POD_SC ", seLinuxOptions: {type: container_t}"},
    {"pod type container_init_t", B, "HULL-C034", false,
     POD_SC ", seLinuxOptions: {type: container_init_t}"},
    {"pod type container_kvm_t", B, "HULL-C034", false,
     POD_SC ", seLinuxOptions: {type: container_kvm_t}"},
    {"pod type container_engine_t", B, "HULL-C034", false,
     POD_SC ", seLinuxOptions: {type: container_engine_t}"},
    {"pod type spc_t", B, "HULL-C034", true, POD_SC ", seLinuxOptions: {type: spc_t}"},
    {"container type custom", B, "HULL-C034", true, NULL,
     CTR_SC ", seLinuxOptions: {type: custom_t}"},
    {"container type container_t", B, "HULL-C034", false, NULL,
     CTR_SC ", seLinuxOptions: {type: container_t}"},
    {"pod user set", B, "HULL-C034", true, POD_SC ", seLinuxOptions: {user: system_u}"},
    {"pod user \"\"", B, "HULL-C034", false, POD_SC ", seLinuxOptions: {user: \"\"}"},
    {"container role set", B, "HULL-C034", true, NULL, CTR_SC ", seLinuxOptions: {role: system_r}"},
    {"container role \"\"", B, "HULL-C034", false, NULL, CTR_SC ", seLinuxOptions: {role: \"\"}"},
    {"initContainer user set", B, "HULL-C034", true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {seLinuxOptions: {user: "
     "u}}}]"},
    {"level only", B, "HULL-C034", false, POD_SC ", seLinuxOptions: {level: \"s0:c123,c456\"}"},
    /* ---- Baseline: /proc Mount Type */
    {"procMount undefined", B, "HULL-C036", false},
    {"procMount Default", B, "HULL-C036", false, NULL, CTR_SC ", procMount: Default"},
    {"procMount Unmasked", B, "HULL-C036", true, NULL, CTR_SC ", procMount: Unmasked"},
    {"initContainer procMount Unmasked", B, "HULL-C036", true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {procMount: Unmasked}}]"},
    /* ---- Baseline: Seccomp */
    {"seccomp undefined (baseline)", B, "HULL-C031", false, "runAsNonRoot: true"},
    {"pod seccomp RuntimeDefault", B, "HULL-C031", false},
    {"pod seccomp Localhost", B, "HULL-C031", false,
     "runAsNonRoot: true, seccompProfile: {type: Localhost, localhostProfile: p.json}"},
    {"pod seccomp Unconfined", B, "HULL-C031", true,
     "runAsNonRoot: true, seccompProfile: {type: Unconfined}"},
    {"pod seccomp Unconfined, container RuntimeDefault", B, "HULL-C031", true,
     "runAsNonRoot: true, seccompProfile: {type: Unconfined}",
     CTR_SC ", seccompProfile: {type: RuntimeDefault}"},
    {"container seccomp Unconfined", B, "HULL-C031", true, NULL,
     CTR_SC ", seccompProfile: {type: Unconfined}"},
    {"initContainer seccomp Unconfined", B, "HULL-C031", true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {seccompProfile: {type: "
     "Unconfined}}}]"},
    /* ---- Baseline: Sysctls */
    {"sysctls undefined", B, "HULL-C037", false},
    {"kernel.shm_rmid_forced", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: kernel.shm_rmid_forced, value: \"0\"}]"},
    {"net.ipv4.ip_local_port_range", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.ip_local_port_range, value: \"1024 65535\"}]"},
    {"net.ipv4.ip_unprivileged_port_start", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.ip_unprivileged_port_start, value: \"0\"}]"},
    {"net.ipv4.tcp_syncookies", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.tcp_syncookies, value: \"1\"}]"},
    {"net.ipv4.ping_group_range", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.ping_group_range, value: \"0 1\"}]"},
    {"net.ipv4.ip_local_reserved_ports", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.ip_local_reserved_ports, value: \"8080\"}]"},
    {"net.ipv4.tcp_keepalive_time", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.tcp_keepalive_time, value: \"60\"}]"},
    {"net.ipv4.tcp_fin_timeout", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.tcp_fin_timeout, value: \"30\"}]"},
    {"net.ipv4.tcp_keepalive_intvl", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.tcp_keepalive_intvl, value: \"10\"}]"},
    {"net.ipv4.tcp_keepalive_probes", B, "HULL-C037", false,
     POD_SC ", sysctls: [{name: net.ipv4.tcp_keepalive_probes, value: \"5\"}]"},
    {"kernel.msgmax", B, "HULL-C037", true,
     POD_SC ", sysctls: [{name: kernel.msgmax, value: \"65536\"}]"},
    {"net.core.somaxconn", B, "HULL-C037", true,
     POD_SC ", sysctls: [{name: net.core.somaxconn, value: \"1024\"}]"},
    /* ---- Restricted: Volume Types */
    {"configMap volume", R, VOLS, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, configMap: {name: c}}]"},
    {"csi volume", R, VOLS, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, csi: {driver: d}}]"},
    {"downwardAPI volume", R, VOLS, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, downwardAPI: {items: []}}]"},
    {"emptyDir volume", R, VOLS, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, emptyDir: {}}]"},
    {"ephemeral volume", R, VOLS, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, ephemeral: {volumeClaimTemplate: {spec: {}}}}]"},
    {"persistentVolumeClaim volume", R, VOLS, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, persistentVolumeClaim: {claimName: c}}]"},
    {"projected volume", R, VOLS, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, projected: {sources: []}}]"},
    {"secret volume", R, VOLS, false, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, secret: {secretName: s}}]"},
    {"hostPath volume (restricted)", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, hostPath: {path: /data}}]"},
    {"gcePersistentDisk", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, gcePersistentDisk: {pdName: d}}]"},
    {"awsElasticBlockStore", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, awsElasticBlockStore: {volumeID: x}}]"},
    {"gitRepo", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, gitRepo: {repository: r}}]"},
    {"nfs", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, nfs: {server: s, path: /}}]"},
    {"iscsi", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, iscsi: {targetPortal: t, iqn: i, lun: 0}}]"},
    {"glusterfs", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, glusterfs: {endpoints: e, path: p}}]"},
    {"rbd", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, rbd: {monitors: [m], image: i}}]"},
    {"flexVolume", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, flexVolume: {driver: d}}]"},
    {"cinder", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, cinder: {volumeID: x}}]"},
    {"cephfs", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, cephfs: {monitors: [m]}}]"},
    {"flocker", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, flocker: {datasetName: d}}]"},
    {"fc", R, VOLS, true, NULL, NULL, NULL, NULL, "volumes: [{name: v, fc: {lun: 0}}]"},
    {"azureFile", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, azureFile: {secretName: s, shareName: s}}]"},
    {"vsphereVolume", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, vsphereVolume: {volumePath: p}}]"},
    {"quobyte", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, quobyte: {registry: r, volume: v}}]"},
    {"azureDisk", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, azureDisk: {diskName: d, diskURI: u}}]"},
    {"portworxVolume", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, portworxVolume: {volumeID: x}}]"},
    {"scaleIO", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, scaleIO: {gateway: g, system: s, secretRef: {name: n}}}]"},
    {"storageos", R, VOLS, true, NULL, NULL, NULL, NULL,
     "volumes: [{name: v, storageos: {volumeName: v}}]"},
    /* ---- Restricted: Privilege Escalation */
    {"allowPrivilegeEscalation: false", R, "HULL-C007", false},
    {"allowPrivilegeEscalation undefined", R, "HULL-C007", true, NULL,
     "capabilities: {drop: [ALL]}"},
    {"allowPrivilegeEscalation: true", R, "HULL-C007", true, NULL,
     "allowPrivilegeEscalation: true, capabilities: {drop: [ALL]}"},
    {"initContainer allowPrivilegeEscalation undefined", R, "HULL-C007", true, NULL, NULL, NULL,
     NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {capabilities: {drop: "
     "[ALL]}}}]"},
    {"windows pod: allowPrivilegeEscalation undefined", R, "HULL-C007", false, NULL,
     "capabilities: {drop: [ALL]}", NULL, NULL, "os: {name: windows}"},
    /* ---- Restricted: Running as Non-root */
    {"pod runAsNonRoot: true", R, "HULL-C009", false},
    {"container runAsNonRoot: true", R, "HULL-C009", false,
     "seccompProfile: {type: RuntimeDefault}", CTR_SC ", runAsNonRoot: true"},
    {"runAsNonRoot undefined", R, "HULL-C009", true, "seccompProfile: {type: RuntimeDefault}"},
    {"pod runAsNonRoot: false", R, "HULL-C009", true,
     "runAsNonRoot: false, seccompProfile: {type: RuntimeDefault}"},
    {"pod true, container false", R, "HULL-C009", true, NULL, CTR_SC ", runAsNonRoot: false"},
    {"ephemeralContainer runAsNonRoot false", R, "HULL-C009", true, NULL, NULL, NULL, NULL,
     "ephemeralContainers: [{name: e, image: r/e:1, securityContext: {runAsNonRoot: false}}]"},
    /* ---- Restricted: Running as Non-root user */
    {"runAsUser undefined", R, "HULL-C008", false},
    {"pod runAsUser: 1000", R, "HULL-C008", false, POD_SC ", runAsUser: 1000"},
    {"pod runAsUser: 0", R, "HULL-C008", true, POD_SC ", runAsUser: 0"},
    {"container runAsUser: 0", R, "HULL-C008", true, NULL, CTR_SC ", runAsUser: 0"},
    {"container runAsUser: 65534", R, "HULL-C008", false, NULL, CTR_SC ", runAsUser: 65534"},
    /* each level is judged on its own: a pod-level 0 fails even when the
     * container overrides it (check_runAsUser.go) */
    {"pod 0, container 1000", R, "HULL-C008", true, POD_SC ", runAsUser: 0",
     CTR_SC ", runAsUser: 1000"},
    {"initContainer runAsUser: 0", R, "HULL-C008", true, NULL, NULL, NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {runAsUser: 0}}]"},
    /* ---- Restricted: Seccomp */
    {"pod seccomp RuntimeDefault (restricted)", R, SECC_R, false},
    {"pod seccomp Localhost (restricted)", R, SECC_R, false,
     "runAsNonRoot: true, seccompProfile: {type: Localhost, localhostProfile: p.json}"},
    {"container seccomp only", R, SECC_R, false, "runAsNonRoot: true",
     CTR_SC ", seccompProfile: {type: RuntimeDefault}"},
    {"seccomp undefined (restricted)", R, SECC_R, true, "runAsNonRoot: true"},
    {"pod seccomp Unconfined (restricted)", R, SECC_R, true,
     "runAsNonRoot: true, seccompProfile: {type: Unconfined}"},
    {"container seccomp Unconfined over pod", R, SECC_R, true, NULL,
     CTR_SC ", seccompProfile: {type: Unconfined}"},
    {"initContainer without seccomp, no pod seccomp", R, SECC_R, true, "runAsNonRoot: true",
     CTR_SC ", seccompProfile: {type: RuntimeDefault}", NULL, NULL,
     "initContainers: [{name: i, image: r/i:1, securityContext: {" CTR_SC "}}]"},
    {"windows pod: seccomp undefined", R, "HULL-C032", false, "runAsNonRoot: true", NULL, NULL,
     NULL, "os: {name: windows}"},
    /* ---- Restricted: Capabilities */
    {"drop [ALL]", R, CAPS_R, false},
    {"drop [ALL, NET_RAW]", R, CAPS_R, false, NULL,
     "allowPrivilegeEscalation: false, capabilities: {drop: [NET_RAW, ALL]}"},
    {"drop [NET_RAW]", R, CAPS_R, true, NULL,
     "allowPrivilegeEscalation: false, capabilities: {drop: [NET_RAW]}"},
    {"drop undefined", R, CAPS_R, true, NULL, "allowPrivilegeEscalation: false"},
    {"add NET_BIND_SERVICE (restricted)", R, CAPS_R, false, NULL,
     "allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}"},
    {"add CHOWN (restricted)", R, CAPS_R, true, NULL,
     "allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [CHOWN]}"},
    {"add SYS_ADMIN (restricted)", R, CAPS_R, true, NULL,
     "allowPrivilegeEscalation: false, capabilities: {drop: [ALL], add: [SYS_ADMIN]}"},
    {"ephemeralContainer drop undefined", R, CAPS_R, true, NULL, NULL, NULL, NULL,
     "ephemeralContainers: [{name: e, image: r/e:1, securityContext: "
     "{allowPrivilegeEscalation: false}}]"},
    {"windows pod: drop undefined", R, "HULL-C006,HULL-C004", false, NULL,
     "allowPrivilegeEscalation: false", NULL, NULL, "os: {name: windows}"},
};

static size_t hits(const struct hull_findings *f, const char *rules)
{
	char buf[256];
	size_t n = 0;
	snprintf(buf, sizeof(buf), "%s", rules);
	for (char *save, *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save))
		n += count_id(f, id);
	return n;
}

static int manifest(char *buf, size_t n, const struct pss_case *c)
{
	return snprintf(buf, n,
	                "apiVersion: v1\n"
	                "kind: Pod\n"
	                "metadata:\n"
	                "  name: pss\n"
	                "  annotations: {%s}\n"
	                "spec:\n"
	                "  securityContext: {%s}\n"
	                "  containers:\n"
	                "  - name: app\n"
	                "    image: registry.example/app:1.0\n"
	                "    securityContext: {%s}\n"
	                "    %s\n"
	                "  %s\n",
	                c->ann ? c->ann : "", c->pod_sc ? c->pod_sc : POD_SC,
	                c->ctr_sc ? c->ctr_sc : CTR_SC, c->ctr_extra ? c->ctr_extra : "",
	                c->pod_extra ? c->pod_extra : "");
}

/* Every rule that belongs to a profile, and only those, runs under it. */
static void profile_membership(void)
{
	size_t n;
	const struct hull_rule *rules = hull_rules(&n);
	size_t base = 0, restricted = 0;
	for (size_t i = 0; i < n; i++) {
		base += rules[i].pss == HULL_PSS_BASELINE;
		restricted += rules[i].pss == HULL_PSS_RESTRICTED;
		if (rules[i].pss)
			TAP_OK(rules[i].pss_control && *rules[i].pss_control,
			       "%s names its PSS control", rules[i].id);
	}
	TAP_OK(base >= 12 && restricted >= 6, "%zu Baseline and %zu Restricted rules", base,
	       restricted);
	/* a privileged, root, host-network pod under --profile baseline gets no
	 * Restricted-only finding */
	const char *pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n"
	                  "  hostNetwork: true\n  containers:\n  - name: a\n    image: a\n"
	                  "    securityContext: {privileged: true, runAsUser: 0}\n";
	struct hull_findings f = {0};
	struct hull_err err = {0};
	TAP_OK(scan_data(pod, strlen(pod), "p.yaml", HULL_CONFIG_K8S, HULL_PROFILE_BASELINE, NULL,
	                 &f, &err) == 0,
	       "baseline scan");
	bool only_baseline = f.n > 0;
	for (size_t i = 0; i < f.n; i++)
		only_baseline &= hull_rule_find(f.items[i].id)->pss == HULL_PSS_BASELINE;
	TAP_OK(only_baseline, "--profile baseline reports only Baseline controls (%s)", ids_of(&f));
	hull_findings_release(&f);
}

/* Outside Kubernetes the runtime normalises capability names (upper case,
 * CAP_ removed), so the rules do too: what Compose, ECS and docker inspect
 * say means the same capability whatever its spelling. */
static void runtime_normalises(void)
{
	static const struct {
		const char *what, *doc;
		enum hull_profile_sel profile;
		const char *rule;
		bool fires;
	} rt[] = {
	    {"compose cap_add: [chown]",
	     "services:\n  web:\n    image: nginx:1\n    cap_add: [chown, CAP_SETUID]\n", B,
	     "HULL-C003", false},
	    {"compose cap_add: [net_raw]",
	     "services:\n  web:\n    image: nginx:1\n    cap_add: [net_raw]\n", B, "HULL-C003",
	     true},
	    {"compose cap_add: [cap_sys_admin]",
	     "services:\n  web:\n    image: nginx:1\n    cap_add: [cap_sys_admin]\n", B,
	     "HULL-C002", true},
	    {"compose cap_drop: [all]",
	     "services:\n  web:\n    image: nginx:1\n    cap_drop: [all]\n", R, "HULL-C006", false},
	    {"ecs drop [all]",
	     "{\"family\": \"t\", \"containerDefinitions\": [{\"name\": \"a\", \"image\": "
	     "\"a:1\", \"linuxParameters\": {\"capabilities\": {\"drop\": [\"all\"], "
	     "\"add\": [\"chown\"]}}}]}",
	     R, "HULL-C006,HULL-C003", false},
	    {"inspect CapAdd [cap_chown]",
	     "[{\"Name\": \"/a\", \"Config\": {\"Image\": \"a:1\", \"User\": \"1000\"}, "
	     "\"HostConfig\": {\"CapAdd\": [\"cap_chown\"], \"CapDrop\": [\"ALL\"]}}]",
	     B, "HULL-C003", false},
	};
	for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]); i++) {
		struct hull_findings f = {0};
		struct hull_err err = {0};
		int rc = scan_data(rt[i].doc, strlen(rt[i].doc), "doc", HULL_CONFIG_UNKNOWN,
		                   rt[i].profile, NULL, &f, &err);
		size_t h = hits(&f, rt[i].rule);
		TAP_OK(rc == 0 && (rt[i].fires ? h > 0 : h == 0), "%s: %s %s (got: %s%s)",
		       rt[i].what, rt[i].rule,
		       rt[i].fires ? "fires" : "stays quiet, names normalised", ids_of(&f),
		       err.msg);
		hull_findings_release(&f);
	}
}

int main(void)
{
	char buf[4096];
	struct pss_case clean = {"compliant pod", R, "", false};
	manifest(buf, sizeof(buf), &clean);
	struct hull_findings f = {0};
	struct hull_err err = {0};
	TAP_OK(scan_data(buf, strlen(buf), "pss.yaml", HULL_CONFIG_K8S, HULL_PROFILE_RESTRICTED,
	                 NULL, &f, &err) == 0 &&
	           f.n == 0,
	       "the Restricted-compliant base pod has no PSS finding (%s%s)", ids_of(&f), err.msg);
	hull_findings_release(&f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pss_case *c = &cases[i];
		memset(&err, 0, sizeof(err));
		manifest(buf, sizeof(buf), c);
		int rc = scan_data(buf, strlen(buf), "pss.yaml", HULL_CONFIG_K8S, c->profile, NULL,
		                   &f, &err);
		size_t h = hits(&f, c->rules);
		TAP_OK(rc == 0 && (c->forbidden ? h > 0 : h == 0), "%s %s: %s -> %s (got: %s%s)",
		       c->profile == B ? "baseline" : "restricted", c->what,
		       c->forbidden ? "forbidden" : "allowed", c->rules, ids_of(&f), err.msg);
		hull_findings_release(&f);
	}
	profile_membership();
	runtime_normalises();
	return tap_done();
}
