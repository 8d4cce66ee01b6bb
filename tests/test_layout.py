"""The package's layout, read from the source with `ast` (no import runs):

(a) a model module imports no other model module except the base it
    subclasses; the registry and the package's `__init__` import them all;
(b) the backend-agnostic packages import no framework (TensorFlow, JAX,
    PyTorch): backend code lives in `keras_gan_zoo/backend/`;
(c) there are no import cycles between the package's modules;
(d) network builders are imported from `keras_gan_zoo.networks`, never from a
    model module.

Each check is a function of a source root, run on this repository and on a
small tree with one deliberately bad import, which it must report.
"""

import ast
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.neutral

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "keras_gan_zoo"

# (a) Model modules a model module may import. Every model subclasses GAN;
# WGANGP subclasses WGAN in the same module, so no model imports `wgan`
# today, but a model in its own module may subclass WGAN or WGANGP.
MODEL_BASES = frozenset({"keras_gan_zoo.models.gan", "keras_gan_zoo.models.wgan"})
# Modules of keras_gan_zoo/models/ that are not models and may import every model.
MODEL_INDEXES = frozenset({"keras_gan_zoo.models", "keras_gan_zoo.models.registry"})

# (b) The packages that must stay backend-agnostic, and the frameworks they must not import.
AGNOSTIC_PACKAGES = ("engine", "models", "losses", "layers", "networks", "metrics", "tricks")
FRAMEWORKS = frozenset({"tensorflow", "jax", "jaxlib", "torch"})
# Framework imports allowed there, each inside one function and with its reason:
# (module, framework) -> why.
FRAMEWORK_EXCEPTIONS = {
    ("keras_gan_zoo.metrics.fid_weights", "torch"): (
        "read_torch_state_dict reads pytorch-fid's weights file (torch.load), on any backend"
    ),
    ("keras_gan_zoo.metrics.fid_weights", "tensorflow"): (
        "read_tensorflow_graph reads TensorFlow's Inception GraphDef, on any backend"
    ),
}

# (d) Where this repository's Python files live.
SOURCE_FOLDERS = (PACKAGE, "recipes", "benchmarks", "tests")


# === Reading the source ===


def package_modules(root):
    """{module name: source path} for every module of the package under `root`."""
    modules = {}
    for path in sorted((Path(root) / PACKAGE).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _imports(path, module, module_level_only):
    """(imported name, line) for each import in the file.

    `from a.b import c` yields "a.b.c" (c may be a module or a name in a.b);
    relative imports are resolved against `module`. With `module_level_only`,
    imports inside functions (run at call time, not at import time) are skipped.
    """
    tree = ast.parse(Path(path).read_text(), filename=str(path))
    is_package = Path(path).name == "__init__.py"
    found = []

    def visit(node):
        for child in ast.iter_child_nodes(node):
            if module_level_only and isinstance(
                child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
            ):
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name, child.lineno) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = module.split(".")
                    anchor = anchor[: len(anchor) - child.level + (1 if is_package else 0)]
                    base = ".".join(anchor + ([base] if base else []))
                found.extend((f"{base}.{alias.name}", child.lineno) for alias in child.names)
            visit(child)

    visit(tree)
    return found


def _target(name, modules):
    """The package module that importing `name` loads last: `name` or its longest prefix."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(root):
    """{module: {imported package module: first line}}, from module-level imports."""
    modules = package_modules(root)
    graph = {}
    for module, path in modules.items():
        edges = graph.setdefault(module, {})
        for name, line in _imports(path, module, module_level_only=True):
            target = _target(name, modules)
            if target is not None and target != module:
                edges.setdefault(target, line)
    return graph


# === The checks ===


def model_import_violations(root):
    """Imports of a model module by another model module that is not its index or base."""
    modules = package_modules(root)
    models = {
        name
        for name in modules
        if name.startswith(f"{PACKAGE}.models.") and name not in MODEL_INDEXES
    }
    violations = []
    for importer in sorted(models):
        for name, line in _imports(modules[importer], importer, module_level_only=False):
            target = _target(name, modules)
            if target in models and target != importer and target not in MODEL_BASES:
                violations.append(f"{importer} (line {line}) imports the model module {target}")
            if target in MODEL_INDEXES:
                violations.append(f"{importer} (line {line}) imports {target}, which imports it")
    return violations


def framework_import_violations(root):
    """Imports of TensorFlow, JAX or PyTorch in the backend-agnostic packages."""
    modules = package_modules(root)
    violations = []
    for module, path in sorted(modules.items()):
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in AGNOSTIC_PACKAGES:
            continue
        for name, line in _imports(path, module, module_level_only=False):
            framework = name.split(".")[0]
            if framework in FRAMEWORKS and (module, framework) not in FRAMEWORK_EXCEPTIONS:
                violations.append(f"{module} (line {line}) imports {name}")
    return violations


def import_cycles(root):
    """Cycles of module-level imports, each a list of modules from the alphabetically
    first, which is repeated at the end; at least one per set of modules in cycles."""
    graph = import_graph(root)
    cycles, state, stack = [], {}, []

    def visit(module):
        # Depth-first search; an edge back to a module on the stack closes a cycle.
        state[module] = "open"
        stack.append(module)
        for target in sorted(graph.get(module, {})):
            if state.get(target) == "open":
                cycle = stack[stack.index(target) :]
                first = cycle.index(min(cycle))
                cycle = cycle[first:] + cycle[:first]
                cycles.append(cycle + cycle[:1])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module)
    return cycles


def _network_builders(root):
    """The names `keras_gan_zoo.networks` exports (its `__all__`)."""
    tree = ast.parse((Path(root) / PACKAGE / "networks" / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return set(ast.literal_eval(node.value))
    raise AssertionError("keras_gan_zoo/networks/__init__.py has no __all__")


def builder_import_violations(root):
    """`from keras_gan_zoo.models... import <network builder>` anywhere in the repository."""
    builders = _network_builders(root)
    violations = []
    for folder in SOURCE_FOLDERS:
        for path in sorted((Path(root) / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ImportFrom)
                    and (node.module or "").startswith(f"{PACKAGE}.models")
                    and any(alias.name in builders for alias in node.names)
                ):
                    names = sorted(alias.name for alias in node.names if alias.name in builders)
                    violations.append(
                        f"{path.relative_to(root)} (line {node.lineno}) imports {names} from "
                        f"{node.module}; import them from {PACKAGE}.networks"
                    )
    return violations


# === On this repository ===


def test_repository_is_read():
    # Guards the checks below against passing on an empty or misread tree.
    modules = package_modules(REPO_ROOT)
    assert {f"{PACKAGE}.models.gan", f"{PACKAGE}.networks.dcgan", f"{PACKAGE}.engine"} <= set(
        modules
    )
    graph = import_graph(REPO_ROOT)
    assert f"{PACKAGE}.models.gan" in graph[f"{PACKAGE}.models.dcgan"]
    assert f"{PACKAGE}.networks.dcgan" in graph[f"{PACKAGE}.networks"]
    assert {"mlp_generator", "dcgan_generator", "DCGANNetworks"} <= _network_builders(REPO_ROOT)


def test_models_import_only_their_base_model():
    assert model_import_violations(REPO_ROOT) == []


def test_agnostic_packages_import_no_framework():
    assert framework_import_violations(REPO_ROOT) == []


def test_framework_exceptions_are_still_needed():
    # An exception whose import is gone must be removed from the list.
    modules = package_modules(REPO_ROOT)
    for module, framework in FRAMEWORK_EXCEPTIONS:
        imported = {
            name.split(".")[0]
            for name, _ in _imports(modules[module], module, module_level_only=False)
        }
        assert framework in imported, f"{module} no longer imports {framework}"
        module_level = {
            name.split(".")[0]
            for name, _ in _imports(modules[module], module, module_level_only=True)
        }
        assert framework not in module_level, f"{module} imports {framework} at module level"


def test_no_import_cycles():
    cycles = import_cycles(REPO_ROOT)
    assert cycles == [], "\n".join(" -> ".join(cycle) for cycle in cycles)


def test_network_builders_come_from_networks():
    assert builder_import_violations(REPO_ROOT) == []


# === On a tree with one bad import each ===


def _tree(root, files):
    for name, source in files.items():
        path = Path(root) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return root


GOOD_TREE = {
    "keras_gan_zoo/__init__.py": "from keras_gan_zoo import models\n",
    "keras_gan_zoo/engine/__init__.py": "import keras\n",
    "keras_gan_zoo/networks/__init__.py": (
        "from keras_gan_zoo.networks.mlp import mlp_generator\n__all__ = ['mlp_generator']\n"
    ),
    "keras_gan_zoo/networks/mlp.py": "import keras\n",
    "keras_gan_zoo/models/__init__.py": (
        "from keras_gan_zoo.models.gan import GAN\nfrom keras_gan_zoo.models.lsgan import LSGAN\n"
    ),
    "keras_gan_zoo/models/registry.py": "from keras_gan_zoo.models.lsgan import LSGAN\n",
    "keras_gan_zoo/models/gan.py": (
        "from keras_gan_zoo.engine import Engine\n"
        "from keras_gan_zoo.networks import mlp_generator\n"
    ),
    "keras_gan_zoo/models/lsgan.py": "from keras_gan_zoo.models.gan import GAN\n",
    "keras_gan_zoo/backend/tensorflow.py": "import tensorflow as tf\n",
    "keras_gan_zoo/datasets/_arrays.py": "import tensorflow as tf\n",
    "recipes/ring.py": "from keras_gan_zoo.networks import mlp_generator\n",
    "benchmarks/mog.py": "",
    "tests/test_gan.py": "",
}


def test_checks_pass_on_a_good_tree(tmp_path):
    root = _tree(tmp_path, GOOD_TREE)
    assert model_import_violations(root) == []
    assert framework_import_violations(root) == []
    assert import_cycles(root) == []
    assert builder_import_violations(root) == []


def test_a_model_importing_a_sibling_model_is_reported(tmp_path):
    root = _tree(
        tmp_path,
        {
            **GOOD_TREE,
            "keras_gan_zoo/models/began.py": """
                def build():
                    from keras_gan_zoo.models import lsgan
            """,
        },
    )
    assert model_import_violations(root) == [
        "keras_gan_zoo.models.began (line 3) imports the model module keras_gan_zoo.models.lsgan"
    ]


@pytest.mark.parametrize(
    "module, source",
    [
        ("keras_gan_zoo/engine/step.py", "import tensorflow as tf\n"),
        ("keras_gan_zoo/layers/conv.py", "def f():\n    from jax import lax\n"),
        ("keras_gan_zoo/networks/mlp.py", "import torch.nn\n"),
    ],
)
def test_a_framework_import_is_reported(tmp_path, module, source):
    root = _tree(tmp_path, {**GOOD_TREE, module: source})
    violations = framework_import_violations(root)
    assert len(violations) == 1 and module.replace("/", ".")[:-3] in violations[0]


def test_an_import_cycle_is_reported(tmp_path):
    root = _tree(
        tmp_path,
        {
            **GOOD_TREE,
            # A relative import back to the model that imports the engine.
            "keras_gan_zoo/engine/__init__.py": "from ..models.gan import GAN\n",
        },
    )
    assert import_cycles(root) == [
        ["keras_gan_zoo.engine", "keras_gan_zoo.models.gan", "keras_gan_zoo.engine"]
    ]


def test_an_import_inside_a_function_is_no_cycle(tmp_path):
    root = _tree(
        tmp_path,
        {
            **GOOD_TREE,
            "keras_gan_zoo/engine/__init__.py": """
                def f():
                    from keras_gan_zoo.models import gan
            """,
        },
    )
    assert import_cycles(root) == []


def test_a_builder_from_a_model_module_is_reported(tmp_path):
    root = _tree(
        tmp_path,
        {**GOOD_TREE, "recipes/ring.py": "from keras_gan_zoo.models.gan import mlp_generator\n"},
    )
    assert builder_import_violations(root) == [
        "recipes/ring.py (line 1) imports ['mlp_generator'] from keras_gan_zoo.models.gan; "
        "import them from keras_gan_zoo.networks"
    ]
