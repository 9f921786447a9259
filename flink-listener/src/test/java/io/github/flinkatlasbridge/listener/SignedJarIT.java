package io.github.flinkatlasbridge.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSigner;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar (after `package`, run by failsafe): every entry signed by one signer, `jarsigner -verify` accepts it,
 * its published SHA-256 matches, and a tampered copy (a class changed, or a class added) is refused.
 */
class SignedJarIT {

  private static final Path JAR = Paths.get(System.getProperty("listener.jar", "target/flink-listener-0.1.0.jar"));

  @TempDir Path tmp;

  @Test
  void everyEntryOfTheBuiltJarIsSignedByOneSigner() throws Exception {
    Set<X509Certificate> signers = verifyAllEntriesSigned(JAR);
    assertEquals(1, signers.size(), "one signer: " + signers);
    String alias = System.getProperty("listener.signer.alias", "");
    if (alias.equals("flink-atlas-bridge-throwaway")) {
      // the build's throwaway key (no release keystore given): its subject is the one the pom generates
      assertTrue(signers.iterator().next().getSubjectX500Principal().getName().contains("throwaway"), signers.toString());
    }
  }

  @Test
  void jarsignerVerifiesTheBuiltJar() throws Exception {
    JarsignerResult result = jarsignerVerify(JAR);
    assertEquals(0, result.exitCode, result.output);
    assertTrue(result.output.contains("jar verified."), result.output);
  }

  @Test
  void aCopyWithOneClassChangedIsRefused() throws Exception {
    Path tampered = tmp.resolve("changed-class.jar");
    String changed = rewrite(JAR, tampered, null);
    SecurityException refused = assertThrows(SecurityException.class, () -> verifyAllEntriesSigned(tampered));
    assertTrue(refused.getMessage().contains(changed), refused.getMessage());
    JarsignerResult result = jarsignerVerify(tampered);
    assertTrue(result.exitCode != 0 && !result.output.contains("jar verified."), result.output);
  }

  @Test
  void aCopyWithAClassAddedIsRefused() throws Exception {
    Path tampered = tmp.resolve("added-class.jar");
    rewrite(JAR, tampered, "io/github/flinkatlasbridge/listener/Injected.class");
    SecurityException refused = assertThrows(SecurityException.class, () -> verifyAllEntriesSigned(tampered));
    assertTrue(refused.getMessage().contains("Injected.class"), refused.getMessage());
  }

  @Test
  void thePublishedSha256MatchesTheSignedJar() throws Exception {
    Path sumFile = Paths.get(JAR + ".sha256");
    String line = new String(Files.readAllBytes(sumFile), StandardCharsets.US_ASCII).trim();
    // `sha256sum -c` format: "<hex> *<file name>"
    String[] parts = line.split(" \\*", 2);
    assertEquals(2, parts.length, line);
    assertEquals(JAR.getFileName().toString(), parts[1]);
    assertEquals(sha256Hex(JAR), parts[0].toLowerCase(Locale.ROOT));
  }

  /** Reads every entry (which checks its digest) and returns the signers; throws on an unsigned or changed entry. */
  static Set<X509Certificate> verifyAllEntriesSigned(Path jar) throws IOException {
    Set<X509Certificate> signers = new HashSet<>();
    int signed = 0;
    try (JarFile file = new JarFile(jar.toFile(), true)) {
      assertTrue(file.getManifest() != null, "no manifest");
      Enumeration<JarEntry> entries = file.entries();
      byte[] buffer = new byte[8192];
      while (entries.hasMoreElements()) {
        JarEntry entry = entries.nextElement();
        try (InputStream in = file.getInputStream(entry)) {
          while (in.read(buffer) != -1) {
            // the digest is checked when the entry has been read to its end
          }
        }
        if (entry.isDirectory() || isSignatureFile(entry.getName())) continue;
        CodeSigner[] codeSigners = entry.getCodeSigners();
        if (codeSigners == null || codeSigners.length == 0) {
          throw new SecurityException("unsigned entry " + entry.getName());
        }
        for (CodeSigner signer : codeSigners) {
          signers.add((X509Certificate) signer.getSignerCertPath().getCertificates().get(0));
        }
        signed++;
      }
    }
    assertTrue(signed > 10, "signed entries: " + signed);
    return signers;
  }

  private static boolean isSignatureFile(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    return upper.equals("META-INF/MANIFEST.MF")
        || (upper.startsWith("META-INF/") && upper.indexOf('/', 9) < 0
            && (upper.endsWith(".SF") || upper.endsWith(".RSA") || upper.endsWith(".DSA") || upper.endsWith(".EC")));
  }

  /**
   * Copies the jar entry by entry; with addedEntry null flips one byte of the first class, else adds that entry.
   * Returns the changed entry's name.
   */
  private static String rewrite(Path source, Path target, String addedEntry) throws IOException {
    String changed = null;
    try (ZipFile in = new ZipFile(source.toFile());
        OutputStream fileOut = Files.newOutputStream(target);
        ZipOutputStream out = new ZipOutputStream(fileOut)) {
      List<? extends ZipEntry> entries = new ArrayList<>(java.util.Collections.list(in.entries()));
      for (ZipEntry entry : entries) {
        byte[] bytes = readAll(in.getInputStream(entry));
        if (addedEntry == null && changed == null && entry.getName().endsWith(".class")) {
          bytes[bytes.length - 1] ^= 0x01;
          changed = entry.getName();
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        out.write(bytes);
        out.closeEntry();
      }
      if (addedEntry != null) {
        out.putNextEntry(new ZipEntry(addedEntry));
        out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE});
        out.closeEntry();
        changed = addedEntry;
      }
    }
    return changed;
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (InputStream input = in) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      input.transferTo(bytes);
      return bytes.toByteArray();
    }
  }

  private static String sha256Hex(Path file) throws Exception {
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    StringBuilder hex = new StringBuilder();
    for (byte b : digest) hex.append(String.format("%02x", b));
    return hex.toString();
  }

  private static final class JarsignerResult {
    final int exitCode;
    final String output;

    JarsignerResult(int exitCode, String output) {
      this.exitCode = exitCode;
      this.output = output;
    }
  }

  private static JarsignerResult jarsignerVerify(Path jar) throws Exception {
    Path jarsigner = Paths.get(System.getProperty("java.home"), "bin", "jarsigner");
    Process process = new ProcessBuilder(jarsigner.toString(), "-verify", jar.toString()).redirectErrorStream(true).start();
    byte[] output = readAll(process.getInputStream());
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "jarsigner did not end");
    return new JarsignerResult(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
