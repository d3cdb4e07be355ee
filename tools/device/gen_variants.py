# Extra reference fixtures for cleft: other configurations of gpt2 / dinov2 / dinov2_with_registers, made with
# the same generator as the tiny fixture (gen_fixtures.py, gen_prefix.py). Runs on a machine with torch,
# transformers, peft (the device machine); writes one tar.gz per case to $OUT plus a log with the exact
# HF source of the position-embedding interpolation of both DINOv2 model types.
import inspect, os, shutil, subprocess, sys, tarfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, "..", "..", "cleft-testkit", "src", "main", "resources", "org", "cleft", "testkit", "fixtures")
OUT = os.environ.get("OUT", "/tmp/out")
os.makedirs(OUT, exist_ok=True)
sys.path.insert(0, FIX)
import gen_fixtures as g  # noqa: E402

g.TOK_SRC = os.path.join(FIX, "gpt2-tokenizer")
g.WORK = "/tmp/variants"
g.OUT = OUT

CASES = {
    # DINOv2 without registers, input larger than image_size (3x3 -> 6x6), own small BPE vocabulary, 3 layers/3 heads
    "dinov2_up_bpe": dict(seed=7, tokenizer="bpe", tokenizer_vocab=300, n_positions=32, n_embd=48, n_layer=3,
                          n_head=3, vision="dinov2", registers=0, v_hidden=48, v_layers=3, v_heads=6, patch=14,
                          v_image_size=42, input_size=84, emb_dim=24, batch=3, max_words=12, lora_r=4,
                          lora_alpha=8, lr=1e-3, wd=0.1, n_ctx=5, ia3=True),
    # DINOv2 with 2 registers, input smaller than image_size (8x8 -> 4x4), GPT-2 vocabulary, 1 layer
    "reg_down_gpt2": dict(seed=11, tokenizer="gpt2", n_positions=40, n_embd=24, n_layer=1, n_head=2,
                          vision="dinov2_with_registers", registers=2, v_hidden=24, v_layers=2, v_heads=2, patch=14,
                          v_image_size=112, input_size=56, emb_dim=8, batch=5, max_words=20, lora_r=2,
                          lora_alpha=16, lr=1e-3, wd=0.1, n_ctx=12, ia3=True),
    # DINOv2 without registers at its own size (no interpolation), 4 heads
    "dinov2_same": dict(seed=3, tokenizer="gpt2", n_positions=64, n_embd=32, n_layer=2, n_head=4, vision="dinov2",
                        registers=0, v_hidden=32, v_layers=2, v_heads=4, patch=14, v_image_size=56, input_size=56,
                        emb_dim=16, batch=4, max_words=16, lora_r=8, lora_alpha=32, lr=1e-3, wd=0.1, n_ctx=8,
                        ia3=False),
}


def main():
    import torch, transformers, peft
    t0 = time.time()
    torch.set_num_threads(8)
    g.log("torch", torch.__version__, "transformers", transformers.__version__, "peft", peft.__version__)
    from transformers.models.dinov2 import modeling_dinov2 as m1
    from transformers.models.dinov2_with_registers import modeling_dinov2_with_registers as m2
    g.log("=== Dinov2Embeddings.interpolate_pos_encoding ===\n" + inspect.getsource(m1.Dinov2Embeddings.interpolate_pos_encoding))
    g.log("=== Dinov2WithRegistersEmbeddings.interpolate_pos_encoding ===\n"
          + inspect.getsource(m2.Dinov2WithRegistersEmbeddings.interpolate_pos_encoding))
    for name, spec in CASES.items():
        try:
            d = g.build_case(name, spec)
            pout = f"/tmp/prefix-out-{name}"
            os.makedirs(pout, exist_ok=True)
            shutil.rmtree("/tmp/prefix/tiny-prefix", ignore_errors=True)
            r = subprocess.run([sys.executable, os.path.join(FIX, "gen_prefix.py"), d], env=dict(os.environ, OUT=pout),
                               capture_output=True, text=True)
            g.log(f"{name}: prefix rc={r.returncode} {r.stdout[-500:]} {r.stderr[-1500:]}")
            if r.returncode == 0:
                shutil.copytree("/tmp/prefix/tiny-prefix/prefix", os.path.join(d, "prefix"), dirs_exist_ok=True)
                shutil.copy("/tmp/prefix/tiny-prefix/expected_prefix.safetensors", d)
            with tarfile.open(os.path.join(OUT, f"fixtures-{name}.tar.gz"), "w:gz") as tf:
                tf.add(d, arcname=name)
        except Exception as e:  # keep going: one failed case must not lose the others
            import traceback
            g.log(f"{name}: FAILED {type(e).__name__}: {e}")
            traceback.print_exc()
    g.log(f"variants took {time.time() - t0:.1f}s")
    with open(os.path.join(OUT, "variants.log"), "w") as f:
        f.write("\n".join(g.LOG))


if __name__ == "__main__":
    main()
