#!/bin/bash
# make-certs.sh: a self-signed CA and a serving certificate for the hull
# webhook Service, with openssl, then the Secret and the caBundle.
#   deploy/kubernetes/make-certs.sh [NAMESPACE] [OUTDIR]
# Writes OUTDIR/{ca.pem,ca.key,tls.crt,tls.key} and prints the commands that
# load them. The certificate names hull-webhook.NAMESPACE.svc (what the API
# server connects to) and lives 365 days: re-run and apply to rotate; hull
# serve picks the new files up without dropping connections.
set -euo pipefail
ns=${1:-hull-system}
out=${2:-./hull-certs}
svc=hull-webhook
mkdir -p "$out"
cd "$out"
umask 077
[ -f ca.key ] || openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout ca.key -out ca.pem -days 3650 -subj "/CN=hull webhook CA"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls.key -out tls.csr \
	-subj "/CN=$svc.$ns.svc"
cat >ext.cnf <<EXT
subjectAltName=DNS:$svc,DNS:$svc.$ns,DNS:$svc.$ns.svc,DNS:$svc.$ns.svc.cluster.local
extendedKeyUsage=serverAuth
keyUsage=digitalSignature
EXT
openssl x509 -req -in tls.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out tls.crt \
	-days 365 -extfile ext.cnf
rm -f tls.csr ext.cnf
cat <<MSG
Certificates in $out. Next:
  kubectl create namespace $ns --dry-run=client -o yaml | kubectl apply -f -
  kubectl -n $ns create secret tls hull-webhook-tls --cert=$out/tls.crt --key=$out/tls.key \\
      --dry-run=client -o yaml | kubectl apply -f -
  sed "s|CA_BUNDLE|\$(base64 -w0 $out/ca.pem)|" deploy/kubernetes/webhook.yaml | kubectl apply -f -
MSG
