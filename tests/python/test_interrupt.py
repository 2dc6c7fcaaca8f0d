"""Long calls release the GIL and stop on Ctrl-C (KeyboardInterrupt), leaving Python usable."""
import os
import signal
import subprocess
import sys
import threading

import tessel

SCRIPT = r"""
import sys, tessel
print("ready", flush=True)
try:
    tessel.map_network("resnet50", threads=1)   # cosa on every ResNet-50 shape: many seconds
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    print(tessel.evaluate()["cycles"] > 0, flush=True)  # the module still works
    sys.exit(7)
"""


def test_ctrl_c_interrupts_map_network():
    p = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    assert p.stdout.readline().strip() == "ready"
    # Let the work start, then Ctrl-C (SIGINT, as the terminal sends it).
    threading.Event().wait(1.0)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=300)
    assert p.returncode == 7, (out, err)
    assert out.split() == ["interrupted", "True"], (out, err)


def test_gil_is_released_during_long_work():
    ticks = 0
    done = threading.Event()

    def work():
        tessel.map_network("resnet18", mapper="random", samples=20, threads=1)
        done.set()

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks += 1  # runs only while the worker has let go of the GIL
        done.wait(0.001)
    t.join()
    assert ticks > 10
