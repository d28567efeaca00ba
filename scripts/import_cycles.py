"""Lists every project module that imports a module which imports it back, directly or through others.

`make lint` runs it, type-only imports (`if TYPE_CHECKING:`) included: a loop there is still a tangle to read.
import-linter's contracts (pyproject.toml) say which way the apps may import; this says that no module loops.
The packages are the contracts' `root_packages`. Exits 1 when there is a loop.
"""

import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"]
graph = grimp.build_graph(*packages, exclude_type_checking_imports=False)
loops = []
for module in sorted(m for m in graph.modules if ".migrations." not in m):
    for imported in graph.find_modules_directly_imported_by(module):
        if imported != module and ".migrations." not in imported:
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain:
                loops.append(f"{module} -> {' -> '.join(chain)}")
print("\n".join(loops))
print(f"Boucles d'import entre modules : {len(loops)}")
sys.exit(1 if loops else 0)
