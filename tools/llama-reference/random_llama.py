#!/usr/bin/python3
"""Writes a random LLaMA-architecture CLEFT checkpoint of a given shape, for load, memory and export measurements
(not a reference: the numbers mean nothing). It reuses a fixture's tokenizer, vision tower and image projection.

usage: random_llama.py FIXTURE OUT hidden layers heads kv_heads intermediate vocab [dtype]
  e.g. random_llama.py cleft-testkit/.../llama/gqa_llama3 /tmp/llama-1b 2048 22 32 8 5632 32000
"""
import json
import os
import shutil
import struct
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_llama_fixture as g  # noqa: E402


def main():
    fixture, out = sys.argv[1], sys.argv[2]
    hidden, layers, heads, kv, inner, vocab = (int(x) for x in sys.argv[3:9])
    dtype = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[sys.argv[9] if len(sys.argv) > 9
                                                                                     else "fp32"]
    hd = hidden // heads
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out + "/text")
    shutil.copytree(fixture + "/vision", out + "/vision")
    for f in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(fixture + "/text/" + f, out + "/text/" + f)
    cfg = json.load(open(fixture + "/text/config.json"))
    cfg.update(hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads, num_key_value_heads=kv,
               intermediate_size=inner, vocab_size=vocab, head_dim=hd, max_position_embeddings=2048,
               torch_dtype={torch.float32: "float32", torch.bfloat16: "bfloat16", torch.float16: "float16"}[dtype])
    json.dump(cfg, open(out + "/text/config.json", "w"), indent=1)
    gen = torch.Generator().manual_seed(0)
    names = {"model.embed_tokens.weight": (vocab, hidden), "model.norm.weight": (hidden,)}
    for i in range(layers):
        p = "model.layers.%d." % i
        names.update({p + "self_attn.q_proj.weight": (heads * hd, hidden), p + "self_attn.k_proj.weight": (kv * hd, hidden),
                      p + "self_attn.v_proj.weight": (kv * hd, hidden), p + "self_attn.o_proj.weight": (hidden, heads * hd),
                      p + "mlp.gate_proj.weight": (inner, hidden), p + "mlp.up_proj.weight": (inner, hidden),
                      p + "mlp.down_proj.weight": (hidden, inner), p + "input_layernorm.weight": (hidden,),
                      p + "post_attention_layernorm.weight": (hidden,)})
    # streamed: one tensor in memory at a time
    codes = {torch.float32: ("F32", 4), torch.bfloat16: ("BF16", 2), torch.float16: ("F16", 2)}
    code, size = codes[dtype]
    header, offset = {}, 0
    for n, shape in names.items():
        count = 1
        for s in shape:
            count *= s
        header[n] = {"dtype": code, "shape": list(shape), "data_offsets": [offset, offset + count * size]}
        offset += count * size
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(out + "/text/model.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for n, shape in names.items():
            t = torch.ones(shape) if len(shape) == 1 else torch.randn(shape, generator=gen) * 0.02
            f.write(t.to(dtype).view(torch.int16 if size == 2 else torch.float32).numpy().tobytes())
    heads_st = g.load_st(fixture + "/heads.safetensors")
    emb = heads_st["image_projection.weight"].shape[0]
    heads_st["text_projection.weight"] = torch.randn(emb, hidden, generator=gen) * 0.02
    g.save_st(out + "/heads.safetensors", heads_st)
    json.dump({"format": "cleft-checkpoint", "format_version": 1, "text": {"path": "text"}},
              open(out + "/cleft.json", "w"))
    params = sum(torch.Size(s).numel() for s in names.values())
    print("wrote", out, "text parameters", params, "bytes", offset)


if __name__ == "__main__":
    main()
