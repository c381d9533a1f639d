package dev.vitrt.cli;

import dev.vitrt.engine.validate.Validation;
import dev.vitrt.runtime.classify.ClassNames;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The labelled images {@code vitrt validate} scores, as {@link Validation.Data}: {@code @Mixin LabelledData}. */
final class LabelledData {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Image folder, one subfolder per class (root of relative paths with --labels-csv).")
    Path data;

    @Option(names = "--labels-csv", paramLabel = "FILE", description = "path,label rows instead of class folders.")
    Path labelsCsv;

    @Option(names = "--class-names", paramLabel = "FILE",
            description = "One class name per line, for a custom head whose folders are named by class.")
    Path classNames;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** A usage error when neither a folder nor a CSV is given; one line at once when either is missing. */
    void check() throws IOException {
        if (data == null && labelsCsv == null) {
            throw new ParameterException(spec.commandLine(), "give --data DIR (class subfolders) or --labels-csv FILE");
        }
        new Validation.Data(data, labelsCsv, null).check();
    }

    /** The files read: {@code --labels-csv} and {@code --class-names}. */
    CommandFiles checkedBy(CommandFiles files) {
        return files.reads("--labels-csv", labelsCsv).reads("--class-names", classNames);
    }

    Validation.Data toData() throws IOException {
        return new Validation.Data(data, labelsCsv, classNames == null ? null : ClassNames.read(classNames));
    }
}
