package simil.io;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * An exclusive lock on a file, between processes (an OS lock, released when the process dies, even by kill -9) and
 * between the threads of this one. The lock file itself stays: deleting it would let a waiter and a newcomer each
 * lock a different file of the same name.
 */
public final class LockFile implements AutoCloseable {
    /** Lock files held in this process: the OS lock is per process, and a second channel's close would drop it. */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private LockFile(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock on {@code file}, creating it if needed; while another process or thread holds it, says so once on {@code log} and waits. */
    public static LockFile acquire(Path file, String holderDoes, PrintStream log) throws IOException {
        String waiting = "simil: waiting for another simil process " + holderDoes + " (it holds " + file.toAbsolutePath().normalize() + ")";
        boolean said = false;
        Path key = claimInProcess(file, false);
        if (key == null) {
            log.println(waiting);
            said = true;
            key = claimInProcess(file, true);
        }
        FileChannel channel = open(key);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!said) log.println(waiting);
                lock = channel.lock();
            }
            return new LockFile(key, channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            releaseInProcess(key);
            throw new IOException("cannot lock " + key + ": " + e.getMessage(), e);
        }
    }

    /** The lock on {@code file}, or null at once when another process or thread holds it. */
    public static LockFile tryAcquire(Path file) throws IOException {
        Path key = claimInProcess(file, false);
        if (key == null) return null;
        FileChannel channel = open(key);
        try {
            FileLock lock = channel.tryLock();
            if (lock != null) return new LockFile(key, channel, lock);
            channel.close();
            releaseInProcess(key);
            return null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            releaseInProcess(key);
            throw new IOException("cannot lock " + key + ": " + e.getMessage(), e);
        }
    }

    /** The locked file. */
    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            releaseInProcess(file);
        }
    }

    private static FileChannel open(Path key) throws IOException {
        try {
            Files.createDirectories(key.getParent());
            return FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            releaseInProcess(key);
            throw new IOException("cannot open lock file " + key + ": " + e.getMessage(), e);
        }
    }

    /** Marks {@code file} held by this process, waiting for another thread to let go, or (when not {@code wait}) returning null. */
    private static Path claimInProcess(Path file, boolean wait) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        synchronized (HELD) {
            while (HELD.contains(key)) {
                if (!wait) return null;
                try {
                    HELD.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + key, e);
                }
            }
            HELD.add(key);
        }
        return key;
    }

    private static void releaseInProcess(Path key) {
        synchronized (HELD) {
            HELD.remove(key);
            HELD.notifyAll();
        }
    }
}
