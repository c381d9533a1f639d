package dev.vitrt.examples.service;

/** A request the service refuses: the HTTP status and one line saying why, sent back as a JSON error. */
final class HttpError extends Exception {
    final int status;

    HttpError(int status, String message) {
        super(message);
        this.status = status;
    }
}
