"""The package's modules import each other without a cycle, so each layer can be read alone."""

from __future__ import annotations

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Each import of one module by another that leads back to the importer."""
    return sorted(
        (module, imported)
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    )


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    # Imports for type checking only are left out: they never run.
    graph = grimp.build_graph("ldn_titrate", exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_a_cycle_is_found_where_there_is_one() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(module)
    graph.add_import(importer="a.b", imported="a.c")
    graph.add_import(importer="a.c", imported="a.b")
    graph.add_import(importer="a.c", imported="a.d")
    assert _cycles(graph) == [("a.b", "a.c"), ("a.c", "a.b")]
