package org.comity.coordinator.cli;

import java.nio.file.Path;

/** The files of a consortium PKI directory. */
record PkiFiles(Path dir) {
  Path caKey() {
    return dir.resolve("ca.key");
  }

  Path caCertificate() {
    return dir.resolve("ca.crt");
  }

  Path serverKey() {
    return dir.resolve("server.key");
  }

  Path serverCertificate() {
    return dir.resolve("server.crt");
  }

  Path roster() {
    return dir.resolve("members.json");
  }

  Path crl() {
    return dir.resolve("crl.pem");
  }
}
