/* The end of security support of each release, written into every
 * database as the `eol` table (namespace, date, source).
 *
 * Vendors publish these dates on lifecycle pages, not in their advisory
 * feeds, so hull carries them: one row per namespace, the date the vendor
 * names as the end of security fixes (the end of LTS for Debian, the end of
 * standard support for an Ubuntu release and of ESM for its Pro namespace,
 * the end of maintenance for RHEL and its rebuilds, the end of general
 * support of a SUSE service pack), and the page it was read from. Where a
 * vendor names only a month, the date is that month's last day. Releases
 * without a feed (CentOS, Amazon Linux) have rows too: hull reports their
 * end of life even though it cannot match their packages. */
#include <stdio.h>
#include <string.h>

#include "vulndb/internal.h"

#define DEBIAN_LTS   "https://wiki.debian.org/LTS"
#define UBUNTU_CYCLE "https://ubuntu.com/about/release-cycle"
#define ALPINE_REL   "https://alpinelinux.org/releases/"
#define RHEL_LIFE    "https://access.redhat.com/support/policy/updates/errata"
#define ROCKY_VER    "https://wiki.rockylinux.org/rocky/version/"
#define ALMA_REL     "https://wiki.almalinux.org/release-notes/"
#define CENTOS_EOL   "https://www.centos.org/centos-linux-eol/"
#define SUSE_LIFE    "https://www.suse.com/lifecycle/"
#define LEAP_LIFE    "https://en.opensuse.org/Lifetime"
#define AMZN_FAQ     "https://aws.amazon.com/amazon-linux-2/faqs/"
#define AMZN_AMI     "https://aws.amazon.com/amazon-linux-ami/faqs/"
#define AL2023_FAQ   "https://aws.amazon.com/linux/amazon-linux-2023/faqs/"

static const struct vdb_eol eol_table[] = {
    {"debian:6.0", "2016-02-29", DEBIAN_LTS},
    {"debian:7", "2018-05-31", DEBIAN_LTS},
    {"debian:8", "2020-06-30", DEBIAN_LTS},
    {"debian:9", "2022-06-30", DEBIAN_LTS},
    {"debian:10", "2024-06-30", DEBIAN_LTS},
    {"debian:11", "2026-08-31", DEBIAN_LTS},
    {"debian:12", "2028-06-30", DEBIAN_LTS},
    {"debian:13", "2030-06-30", DEBIAN_LTS},
    {"ubuntu:14.04:lts", "2019-04-30", UBUNTU_CYCLE},
    {"ubuntu:pro:14.04:lts", "2024-04-30", UBUNTU_CYCLE},
    {"ubuntu:16.04:lts", "2021-04-30", UBUNTU_CYCLE},
    {"ubuntu:pro:16.04:lts", "2026-04-30", UBUNTU_CYCLE},
    {"ubuntu:18.04:lts", "2023-05-31", UBUNTU_CYCLE},
    {"ubuntu:pro:18.04:lts", "2028-04-30", UBUNTU_CYCLE},
    {"ubuntu:20.04:lts", "2025-05-31", UBUNTU_CYCLE},
    {"ubuntu:pro:20.04:lts", "2030-04-30", UBUNTU_CYCLE},
    {"ubuntu:22.04:lts", "2027-04-30", UBUNTU_CYCLE},
    {"ubuntu:pro:22.04:lts", "2032-04-30", UBUNTU_CYCLE},
    {"ubuntu:24.04:lts", "2029-05-31", UBUNTU_CYCLE},
    {"ubuntu:pro:24.04:lts", "2034-04-30", UBUNTU_CYCLE},
    {"ubuntu:23.10", "2024-07-31", UBUNTU_CYCLE},
    {"ubuntu:24.10", "2025-07-31", UBUNTU_CYCLE},
    {"ubuntu:25.04", "2026-01-31", UBUNTU_CYCLE},
    {"ubuntu:25.10", "2026-07-31", UBUNTU_CYCLE},
    {"alpine:v3.3", "2017-11-01", ALPINE_REL},
    {"alpine:v3.4", "2018-05-01", ALPINE_REL},
    {"alpine:v3.5", "2018-11-01", ALPINE_REL},
    {"alpine:v3.6", "2019-05-01", ALPINE_REL},
    {"alpine:v3.7", "2019-11-01", ALPINE_REL},
    {"alpine:v3.8", "2020-05-01", ALPINE_REL},
    {"alpine:v3.9", "2021-01-01", ALPINE_REL},
    {"alpine:v3.10", "2021-05-01", ALPINE_REL},
    {"alpine:v3.11", "2021-11-01", ALPINE_REL},
    {"alpine:v3.12", "2022-05-01", ALPINE_REL},
    {"alpine:v3.13", "2022-11-01", ALPINE_REL},
    {"alpine:v3.14", "2023-05-01", ALPINE_REL},
    {"alpine:v3.15", "2023-11-01", ALPINE_REL},
    {"alpine:v3.16", "2024-05-23", ALPINE_REL},
    {"alpine:v3.17", "2024-11-22", ALPINE_REL},
    {"alpine:v3.18", "2025-05-09", ALPINE_REL},
    {"alpine:v3.19", "2025-11-01", ALPINE_REL},
    {"alpine:v3.20", "2026-04-01", ALPINE_REL},
    {"alpine:v3.21", "2026-11-01", ALPINE_REL},
    {"alpine:v3.22", "2027-05-01", ALPINE_REL},
    {"redhat:6", "2020-11-30", RHEL_LIFE},
    {"redhat:7", "2024-06-30", RHEL_LIFE},
    {"redhat:8", "2029-05-31", RHEL_LIFE},
    {"redhat:9", "2032-05-31", RHEL_LIFE},
    {"rocky-linux:8", "2029-05-31", ROCKY_VER},
    {"rocky-linux:9", "2032-05-31", ROCKY_VER},
    {"almalinux:8", "2029-03-01", ALMA_REL},
    {"almalinux:9", "2032-05-31", ALMA_REL},
    {"centos:6", "2020-11-30", CENTOS_EOL},
    {"centos:7", "2024-06-30", CENTOS_EOL},
    {"centos:8", "2021-12-31", CENTOS_EOL},
    {"suse:linux-enterprise-server-12-sp5", "2024-10-31", SUSE_LIFE},
    {"suse:linux-enterprise-server-15-sp1", "2021-01-31", SUSE_LIFE},
    {"suse:linux-enterprise-server-15-sp2", "2021-12-31", SUSE_LIFE},
    {"suse:linux-enterprise-server-15-sp3", "2022-12-31", SUSE_LIFE},
    {"suse:linux-enterprise-server-15-sp4", "2023-12-31", SUSE_LIFE},
    {"suse:linux-enterprise-server-15-sp5", "2024-12-31", SUSE_LIFE},
    {"suse:linux-enterprise-server-15-sp6", "2025-12-31", SUSE_LIFE},
    {"suse:linux-enterprise-server-15-sp7", "2031-07-31", SUSE_LIFE},
    {"opensuse:leap-15.3", "2022-12-31", LEAP_LIFE},
    {"opensuse:leap-15.4", "2023-12-31", LEAP_LIFE},
    {"opensuse:leap-15.5", "2024-12-31", LEAP_LIFE},
    {"opensuse:leap-15.6", "2026-04-30", LEAP_LIFE},
    {"amzn:2018.03", "2023-12-31", AMZN_AMI},
    {"amzn:2", "2026-06-30", AMZN_FAQ},
    {"amzn:2023", "2029-06-30", AL2023_FAQ},
};

const struct vdb_eol *vdb_eol_table(size_t *n)
{
	*n = sizeof(eol_table) / sizeof(eol_table[0]);
	return eol_table;
}
