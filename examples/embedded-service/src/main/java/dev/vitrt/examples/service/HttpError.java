package dev.vitrt.examples.service;

/**
 * A request the service refuses: the HTTP status and one line saying why, sent back as a JSON error; a refusal for
 * being busy (503) also says when to retry ({@code Retry-After}).
 */
final class HttpError extends Exception {
    /** Seconds a client is asked to wait before retrying a request refused for being busy. */
    static final int RETRY_AFTER_SECONDS = 1;

    final int status;
    final boolean retry;

    HttpError(int status, String message) {
        this(status, message, false);
    }

    private HttpError(int status, String message, boolean retry) {
        super(message);
        this.status = status;
        this.retry = retry;
    }

    /** 503 with {@code Retry-After}: the service is full now, the same request may succeed shortly. */
    static HttpError busy(String message) {
        return new HttpError(503, message, true);
    }
}
