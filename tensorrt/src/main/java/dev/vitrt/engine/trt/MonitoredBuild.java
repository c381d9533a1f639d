package dev.vitrt.engine.trt;

import dev.vitrt.runtime.BuildListener;
import dev.vitrt.tensorrt.nat.BuildMonitor;
import dev.vitrt.tensorrt.nat.NativeTensorRt;
import org.bytedeco.tensorrt.nvinfer.IBuilderConfig;
import org.bytedeco.tensorrt.nvinfer.IProgressMonitor;

/**
 * A build watched through TensorRT's progress monitor: VitRT's native {@link BuildMonitor} is set on the config, and
 * a daemon thread hands its phases to the listener a few times a second and passes the listener's cancel on to
 * TensorRT. Closing it stops the thread, detaches the monitor from the config and frees it.
 */
final class MonitoredBuild implements AutoCloseable {
    private static final long POLL_MS = 250;
    private final IBuilderConfig config;
    private final BuildMonitor monitor;
    private final Thread poller;
    private volatile boolean done;

    private MonitoredBuild(IBuilderConfig config, BuildMonitor monitor, BuildListener listener) {
        this.config = config;
        this.monitor = monitor;
        this.poller = new Thread(() -> poll(listener), "vitrt-build-monitor");
        this.poller.setDaemon(true);
        if (monitor != null) {
            this.poller.start();
        }
    }

    /** Watches the build on {@code config}; without the native helper the build runs unwatched (log messages only). */
    static MonitoredBuild start(IBuilderConfig config, BuildListener listener) {
        if (NativeTensorRt.load() != null) {
            return new MonitoredBuild(config, null, listener);
        }
        BuildMonitor m = new BuildMonitor();
        config.setProgressMonitor(new IProgressMonitor(m.asMonitor()));
        return new MonitoredBuild(config, m, listener);
    }

    private void poll(BuildListener listener) {
        String last = "";
        while (!done) {
            String now = monitor.describe();
            if (!now.isEmpty() && !now.equals(last)) {
                listener.progress(now);
                last = now;
            }
            if (listener.cancelled() && !monitor.isCancelled()) {
                monitor.cancel();
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether the build was asked to stop. */
    boolean cancelled() {
        return monitor != null && monitor.isCancelled();
    }

    @Override
    public void close() {
        done = true;
        if (monitor != null) {
            poller.interrupt();
            try {
                poller.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            config.setProgressMonitor(null);
            monitor.close();
        }
    }
}
