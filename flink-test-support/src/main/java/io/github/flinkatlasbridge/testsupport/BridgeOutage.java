package io.github.flinkatlasbridge.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge itself down, in front of the real local stack: a TCP forwarder on 127.0.0.1 (a free port) to the
 * stack's HTTP endpoint that can be switched off. Off, it resets every connection, open or new (as a bridge whose
 * load balancer has no healthy target: the client sees a reset, never an HTTP answer); on, it forwards byte for
 * byte. Listening all along, so no other process can take its port meanwhile.
 */
public final class BridgeOutage implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong refused = new AtomicLong();
  private volatile boolean down;

  /** @param url any URL of the stack's endpoint (its host and port are forwarded to) */
  public BridgeOutage(String url) throws IOException {
    URI uri = URI.create(url);
    this.target = new InetSocketAddress(uri.getHost(), uri.getPort());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "bridge-outage-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The same URL, through this forwarder. */
  public String through(String url) {
    URI uri = URI.create(url);
    return "http://127.0.0.1:" + server.getLocalPort() + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }

  /** Down: resets every open connection and each new one until {@link #up()}. */
  public void down() {
    down = true;
    for (Socket socket : open) reset(socket);
  }

  public void up() {
    down = false;
  }

  /** Connections reset while down. */
  public long refused() {
    return refused.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : open) reset(socket);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (down) {
        refused.incrementAndGet();
        reset(client);
        continue;
      }
      try {
        Socket upstream = new Socket();
        upstream.connect(target, 5_000);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        reset(client);
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread thread = new Thread(() -> {
      byte[] buffer = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) != -1; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // the other side went away, or down() reset it
      } finally {
        open.remove(from);
        open.remove(to);
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "bridge-outage-pump");
    thread.setDaemon(true);
    thread.start();
  }

  private static void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0); // RST, not FIN: the connection fails, it does not end cleanly
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // nothing to do
    }
  }
}
