"""What the `keras-gan-zoo` command needs before Keras and TensorFlow load.

TensorFlow prints C++ start-up lines when it is imported ("Could not find
cuda drivers", the CPU-instruction notice). Some are written before its
logging is set up, so `TF_CPP_MIN_LOG_LEVEL` cannot hold them back. The
package imports TensorFlow (for `tf.data`) as it loads, so the command has to
act before that: `keras_gan_zoo/__init__.py` calls `quiet_framework_start()`
first thing. It does nothing unless the process was started as the command
(`keras-gan-zoo ...` or `python -m keras_gan_zoo.cli ...`) without
`--debug`; a library user's logs are never touched.
"""

import contextlib
import os
import re
import sys
import tempfile

COMMAND = "keras-gan-zoo"
MODULE = "keras_gan_zoo.cli"

# Start-up lines that tell a CPU user nothing. Anything else is passed on.
_NOISE = re.compile(
    r"All log messages before absl::InitializeLog|cudart_stub\.cc|cuda_(dnn|fft|blas)\.cc"
    r"|cpu_feature_guard\.cc|rebuild TensorFlow with the appropriate compiler flags"
    r"|oneDNN custom operations are on|Unable to register cu(DNN|FFT|BLAS) factory"
    r"|computation placer already registered|TF-TRT Warning|Could not find TensorRT"
    r"|failed call to cuInit"
)


def started_as_command():
    """Whether this process runs the `keras-gan-zoo` command."""
    if os.path.basename(sys.argv[0] or "") == COMMAND:
        return True
    # `python -m keras_gan_zoo.cli`: while the package loads, sys.argv[0] is
    # still "-m"; the interpreter's own arguments say which module runs.
    arguments = list(getattr(sys, "orig_argv", []))
    return any(
        first == "-m" and second == MODULE for first, second in zip(arguments, arguments[1:])
    )


def quiet_framework_start():
    """For the command (not `--debug`): imports TensorFlow with its start-up noise filtered.

    Sets `TF_CPP_MIN_LOG_LEVEL=2` unless the user set it, which also keeps
    TensorFlow's later info and warning lines (e.g. at the end of a
    `tf.data` epoch) off the terminal.
    """
    if not started_as_command() or "--debug" in sys.argv:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    with filtered_stderr(_NOISE):
        import tensorflow

        # The first device query looks for CUDA, and a machine with its
        # libraries but no GPU logs an error line (cuInit) for it.
        tensorflow.config.list_physical_devices("GPU")


@contextlib.contextmanager
def filtered_stderr(noise):
    """Captures file descriptor 2 (C and C++ code write there too) inside the block,
    then writes back every captured line that `noise` does not match."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [
                line
                for line in captured.read().decode(errors="replace").splitlines(keepends=True)
                if not noise.search(line)
            ]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()
