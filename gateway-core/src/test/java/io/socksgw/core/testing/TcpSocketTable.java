package io.socksgw.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The kernel's TCP socket table of this network namespace ({@code /proc/net/tcp} and {@code tcp6},
 * Linux): for tests that a gateway leaves no socket half-closed behind — CLOSE_WAIT is a socket whose
 * peer's FIN came and that nobody closed; FIN_WAIT2 one that sent its FIN and waits for the peer's.
 */
public final class TcpSocketTable {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    /** The kernel's state numbers ({@code include/net/tcp_states.h}). */
    public enum State {
        ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, CLOSE_WAIT, LAST_ACK, LISTEN,
        CLOSING, NEW_SYN_RECV;

        static State of(int code) {
            return values()[code - 1];
        }
    }

    /**
     * One row: ports and state (addresses are all loopback in these tests), and the socket's inode,
     * 0 once no descriptor holds it (an orphan the kernel finishes alone).
     */
    public record Entry(int localPort, int remotePort, State state, long inode) {
        /** Whether a descriptor of any process holds it. */
        public boolean held() {
            return inode != 0;
        }

        /**
         * Whether a descriptor of process {@code pid} holds it. The table is the whole network
         * namespace's: other processes on the machine (parallel builds, benchmarks) may hold sockets
         * whose ports happen to match a case's.
         */
        public boolean heldBy(long pid) {
            return inode != 0 && socketInodes(pid).contains(inode);
        }
    }

    /** The inodes of the sockets process {@code pid} holds a descriptor of (empty when it is gone). */
    public static Set<Long> socketInodes(long pid) {
        Set<Long> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away between the listing and the read
                }
            }
        } catch (IOException gone) {
            return Set.of();
        }
        return inodes;
    }

    private TcpSocketTable() {}

    public static boolean available() {
        return Files.isReadable(TABLES.get(0));
    }

    public static List<Entry> read() {
        List<Entry> entries = new ArrayList<>();
        for (Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(table);
                for (String line : lines.subList(1, lines.size())) {
                    // By hand, not split(regex): with a benchmark running the table holds 100,000 rows.
                    String[] fields = fields(line, 10);
                    entries.add(new Entry(port(fields[1]), port(fields[2]), State.of(Integer.parseInt(fields[3], 16)),
                            Long.parseLong(fields[9])));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    /**
     * The gateway's own sockets in CLOSE_WAIT or FIN_WAIT2: those accepted on {@code gatewayPort}
     * (local port) and those it opened to one of {@code peerPorts} (remote port). The test's clients
     * and scripted peers own the mirror images, which are not counted.
     */
    public static List<Entry> halfClosedOfGateway(int gatewayPort, Set<Integer> peerPorts) {
        return read().stream()
                .filter(e -> e.state() == State.CLOSE_WAIT || e.state() == State.FIN_WAIT2)
                .filter(e -> e.localPort() == gatewayPort || peerPorts.contains(e.remotePort()))
                .toList();
    }

    /**
     * Every socket with one of {@code ports} at either end in CLOSE_WAIT or FIN_WAIT2, held by this
     * process or by none (an orphan).
     */
    public static List<Entry> halfClosedTouching(Set<Integer> ports) {
        Set<Long> own = socketInodes(ProcessHandle.current().pid());
        return read().stream()
                .filter(e -> e.state() == State.CLOSE_WAIT || e.state() == State.FIN_WAIT2)
                .filter(e -> ports.contains(e.localPort()) || ports.contains(e.remotePort()))
                .filter(e -> e.inode() == 0 || own.contains(e.inode()))
                .toList();
    }

    /** The first {@code count} space-separated fields of {@code line}. */
    private static String[] fields(String line, int count) {
        String[] fields = new String[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            while (at < line.length() && line.charAt(at) == ' ') {
                at++;
            }
            int end = line.indexOf(' ', at);
            end = end < 0 ? line.length() : end;
            fields[i] = line.substring(at, end);
            at = end;
        }
        return fields;
    }

    /** "0100007F:1F90" (IPv4) or 32 hex digits then ":PORT" (IPv6). */
    private static int port(String addressAndPort) {
        return Integer.parseInt(addressAndPort.substring(addressAndPort.indexOf(':') + 1), 16);
    }
}
