package dev.vitrt.calibration.qdq;

/**
 * How Q/DQ nodes are placed.
 *
 * @param target the runtime the layout is made for
 * @param exclude nodes kept in float (their inputs get no Q/DQ and they read float values)
 */
public record QdqOptions(QdqTarget target, NodeFilter exclude) {
    public static QdqOptions defaults() {
        return new QdqOptions(QdqTarget.ORT, NodeFilter.none());
    }

    public QdqOptions withExclude(NodeFilter f) {
        return new QdqOptions(target, f);
    }
}
