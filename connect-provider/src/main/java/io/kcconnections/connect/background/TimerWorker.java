package io.kcconnections.connect.background;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

/**
 * Runs a timer's work on a thread of its own, one run at a time: Keycloak's timer thread is never held, and a tick
 * that comes while a run is in progress is skipped. Used by every background task (device polls, health probes,
 * webhook deliveries, key re-wrap).
 */
public final class TimerWorker {

    private static final Logger LOG = Logger.getLogger(TimerWorker.class);

    private final String name;
    private final AtomicBoolean running = new AtomicBoolean();
    private final ExecutorService thread;

    /** @param name the thread's name, also used in the log line of a run that failed */
    public TimerWorker(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Hands {@code work} to the worker's thread unless a run is in progress; returns at once. */
    public void tick(Runnable work) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            thread.submit(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    LOG.warnf("%s failed: %s", name, e.toString());
                } finally {
                    running.set(false);
                }
            });
        } catch (RuntimeException e) {
            running.set(false);
        }
    }

    public void close() {
        thread.shutdownNow();
    }
}
