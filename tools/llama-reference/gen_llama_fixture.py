#!/usr/bin/python3
"""Reference fixtures for cleft's LLaMA text towers, written with plain PyTorch (Debian's python3-torch), without
HuggingFace transformers or peft: no machine here has them. Each computation follows HF's modeling_llama.py and peft's
LoRA / IA3 / prefix-tuning layers step by step (RMSNorm in float32, rotate_half, repeat_kv, the causal + padding mask
with torch.finfo(float32).min, the last non-pad token as the CLEFT text feature). See README.md for what this is and
is not.

usage: gen_llama_fixture.py TINY_FIXTURE OUT_DIR [variant ...]
  TINY_FIXTURE  cleft's hf-reference tiny fixture (its vision tower, pixels, image embeddings and heads are reused:
                they were computed by transformers)
  OUT_DIR       where the fixture folders are written (one per variant)
  variant       gqa_llama3 (default), mha_linear_bias
"""
import json
import math
import os
import shutil
import struct
import sys

import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(2)

# --- safetensors, written and read by hand (the format is a JSON header and raw little-endian data) -------------

DTYPES = {torch.float32: "F32", torch.int64: "I64"}
NP = {"F32": (torch.float32, 4), "I64": (torch.int64, 8)}


def save_st(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load_st(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        dtype, size = NP[spec["dtype"]]
        a, b = spec["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[a:b]), dtype=dtype).reshape(spec["shape"]).clone()
    return out


# --- a SentencePiece-style BPE tokenizer.json with byte fallback, and its encoding -----------------------------

WORDS = ("this is a chest x ray of patient with atelectasis edema cardiomegaly pleural effusion consolidation "
         "support devices no finding the lungs are clear heart size normal mild small left right").split()


def build_tokenizer(words):
    """Specials <unk> <s> </s>, the 256 byte tokens, every character, then one chain of merges per word so that each
    known word ("\u2581word") is one token. The model runs on the whole normalised text (no pre-tokenizer), as
    Llama 2's tokenizer.json does."""
    vocab = {"<unk>": 0, "<s>": 1, "</s>": 2}
    for b in range(256):
        vocab["<0x%02X>" % b] = len(vocab)
    merges = []
    chars = sorted({c for w in words for c in w} | {"\u2581"})
    for c in chars:
        vocab.setdefault(c, len(vocab))
    for w in words:
        piece = "\u2581"
        for c in w:
            merged = piece + c
            if merged not in vocab:
                merges.append((piece, c))
                vocab[merged] = len(vocab)
            piece = merged
    return vocab, merges


def tokenizer_json(vocab, merges):
    return {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
                          "normalized": False, "special": True} for t, i in (("<unk>", 0), ("<s>", 1), ("</s>", 2))],
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "Prepend", "prepend": "\u2581"},
                                                           {"type": "Replace", "pattern": {"String": " "},
                                                            "content": "\u2581"}]},
        "pre_tokenizer": None,
        "post_processor": {"type": "TemplateProcessing",
                           "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                      {"Sequence": {"id": "A", "type_id": 0}}],
                           "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}},
                                    {"Sequence": {"id": "A", "type_id": 0}},
                                    {"SpecialToken": {"id": "<s>", "type_id": 1}},
                                    {"Sequence": {"id": "B", "type_id": 1}}],
                           "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}},
        "decoder": {"type": "Sequence", "decoders": [{"type": "Replace", "pattern": {"String": "\u2581"},
                                                      "content": " "},
                                                     {"type": "ByteFallback"}, {"type": "Fuse"},
                                                     {"type": "Strip", "content": " ", "start": 1, "stop": 0}]},
        "model": {"type": "BPE", "dropout": None, "unk_token": "<unk>", "continuing_subword_prefix": None,
                  "end_of_word_suffix": None, "fuse_unk": True, "byte_fallback": True, "ignore_merges": False,
                  "vocab": vocab, "merges": [a + " " + b for a, b in merges]},
    }


def encode(vocab, merges, text, special=True):
    """What the tokenizer above gives: normalise, BPE by merge rank over the whole string, unknown symbols as their
    UTF-8 bytes, BOS in front when special."""
    s = "\u2581" + text.replace(" ", "\u2581")
    symbols = list(s)
    ranks = {m: i for i, m in enumerate(merges)}
    while True:
        best = None
        for i in range(len(symbols) - 1):
            r = ranks.get((symbols[i], symbols[i + 1]))
            if r is not None and (best is None or r < best[0]):
                best = (r, i)
        if best is None:
            break
        i = best[1]
        symbols[i:i + 2] = [symbols[i] + symbols[i + 1]]
    ids = [1] if special else []
    for sym in symbols:
        if sym in vocab:
            ids.append(vocab[sym])
        else:
            ids.extend(vocab["<0x%02X>" % b] for b in sym.encode("utf-8"))
    return ids


def batch(vocab, merges, texts, max_length, pad_id):
    rows = [encode(vocab, merges, t)[:max_length] for t in texts]
    n = max(len(r) for r in rows)
    ids = torch.full((len(rows), n), pad_id, dtype=torch.int64)
    mask = torch.zeros((len(rows), n), dtype=torch.int64)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = torch.tensor(r)
        mask[i, :len(r)] = 1
    return ids, mask


# --- the LLaMA model, as modeling_llama.py computes it in float32 ---------------------------------------------


def inverse_frequencies(cfg):
    head_dim = cfg["head_dim"]
    dim = int(head_dim * cfg.get("partial_rotary_factor", 1.0))
    base = cfg["rope_theta"]
    inv = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    rs = cfg.get("rope_scaling")
    if rs is None:
        return inv
    kind = rs.get("rope_type", rs.get("type"))
    if kind == "linear":
        return inv / rs["factor"]
    if kind == "llama3":
        factor, low, high = rs["factor"], rs["low_freq_factor"], rs["high_freq_factor"]
        old = rs["original_max_position_embeddings"]
        low_wavelen, high_wavelen = old / low, old / high
        wavelen = 2 * math.pi / inv
        scaled = torch.where(wavelen > low_wavelen, inv / factor, inv)
        smooth = (old / wavelen - low) / (high - low)
        smoothed = (1 - smooth) * scaled / factor + smooth * scaled
        medium = ~(wavelen < high_wavelen) * ~(wavelen > low_wavelen)
        return torch.where(medium, smoothed, scaled)
    raise ValueError(kind)


def rope(cfg, positions):
    inv = inverse_frequencies(cfg)
    freqs = (inv[None, :, None].float() @ positions[None, None, :].float()).transpose(1, 2)  # [1, L, dim/2]
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def rms_norm(x, w, eps):
    dtype = x.dtype
    h = x.to(torch.float32)
    var = h.pow(2).mean(-1, keepdim=True)
    h = h * torch.rsqrt(var + eps)
    return w * h.to(dtype)


def repeat_kv(x, n):
    b, kv, s, d = x.shape
    if n == 1:
        return x
    return x[:, :, None, :, :].expand(b, kv, n, s, d).reshape(b, kv * n, s, d)


class Adapter:
    """peft's hooks on nn.Linear: LoRA (base + B(A(x)) * alpha / r), IA3 (output scaled, or the input for
    feed-forward modules), and prefix keys / values."""

    def __init__(self, kind=None, weights=None, scaling=1.0, feedforward=(), prefix=None):
        self.kind, self.w, self.scaling, self.ff, self.prefix = kind, weights or {}, scaling, feedforward, prefix

    def linear(self, name, x, weight, bias):
        key = "base_model.model." + name
        if self.kind == "lora" and key + ".lora_A.weight" in self.w:
            a, b = self.w[key + ".lora_A.weight"], self.w[key + ".lora_B.weight"]
            return F.linear(x, weight, bias) + (x @ a.t() @ b.t()) * self.scaling
        if self.kind == "ia3" and key + ".ia3_l" in self.w:
            l = self.w[key + ".ia3_l"]
            if any(name.endswith(f) for f in self.ff):
                return F.linear(x * l.flatten(), weight, bias)
            return F.linear(x, weight, bias) * l.flatten()
        return F.linear(x, weight, bias)


def llama_forward(cfg, w, ids, mask, adapter=None, embeds=None):
    """LlamaModel.forward with eager attention: the last hidden state after the final norm [B, S, H]."""
    adapter = adapter or Adapter()
    h = embeds if embeds is not None else F.embedding(ids, w["embed_tokens.weight"])
    bsz, seq, _ = h.shape
    past = 0 if adapter.prefix is None else adapter.prefix.shape[0]
    heads, kv, hd = cfg["num_attention_heads"], cfg["num_key_value_heads"], cfg["head_dim"]
    positions = torch.arange(past, past + seq)
    cos, sin = rope(cfg, positions)
    rot = cos.shape[-1]
    # the 4-D mask: causal over past + seq keys, padding keys masked, prefix keys always visible
    minv = torch.finfo(torch.float32).min
    full_mask = torch.cat([torch.ones(bsz, past, dtype=mask.dtype), mask], dim=1)
    causal = torch.full((seq, past + seq), minv).triu(past + 1)
    m4 = causal[None, None].expand(bsz, 1, seq, past + seq).clone()
    m4 = m4.masked_fill(full_mask[:, None, None, :] == 0, minv)
    for i in range(cfg["num_hidden_layers"]):
        p = "layers.%d." % i

        def lin(name, x):
            return adapter.linear(p + name, x, w[p + name + ".weight"], w.get(p + name + ".bias"))

        x = rms_norm(h, w[p + "input_layernorm.weight"], cfg["rms_norm_eps"])
        q = lin("self_attn.q_proj", x).view(bsz, seq, heads, hd).transpose(1, 2)
        k = lin("self_attn.k_proj", x).view(bsz, seq, kv, hd).transpose(1, 2)
        v = lin("self_attn.v_proj", x).view(bsz, seq, kv, hd).transpose(1, 2)
        c, s = cos[:, None], sin[:, None]
        if rot == hd:
            q = q * c + rotate_half(q) * s
            k = k * c + rotate_half(k) * s
        else:  # partial rotary (GPT-NeoX style): the first rot channels rotate
            q = torch.cat([q[..., :rot] * c + rotate_half(q[..., :rot]) * s, q[..., rot:]], dim=-1)
            k = torch.cat([k[..., :rot] * c + rotate_half(k[..., :rot]) * s, k[..., rot:]], dim=-1)
        if past:
            # peft's past_key_values: [virtual, layers * 2 * kv * hd] viewed as (layer, key|value, kv, hd)
            pk = adapter.prefix.view(past, cfg["num_hidden_layers"] * 2, kv, hd).permute(1, 2, 0, 3)
            k = torch.cat([pk[2 * i][None].expand(bsz, kv, past, hd), k], dim=2)
            v = torch.cat([pk[2 * i + 1][None].expand(bsz, kv, past, hd), v], dim=2)
        k = repeat_kv(k, heads // kv)
        v = repeat_kv(v, heads // kv)
        scores = torch.matmul(q, k.transpose(2, 3)) * hd ** -0.5 + m4
        probs = F.softmax(scores, dim=-1, dtype=torch.float32)
        ctx = torch.matmul(probs, v).transpose(1, 2).reshape(bsz, seq, heads * hd)
        h = h + lin("self_attn.o_proj", ctx)
        x = rms_norm(h, w[p + "post_attention_layernorm.weight"], cfg["rms_norm_eps"])
        act = F.silu if cfg["hidden_act"] in ("silu", "swish") else None
        h = h + lin("mlp.down_proj", act(lin("mlp.gate_proj", x)) * lin("mlp.up_proj", x))
    return rms_norm(h, w["norm.weight"], cfg["rms_norm_eps"])


def last_token(hidden, mask):
    idx = mask.sum(-1) - 1
    return hidden[torch.arange(hidden.shape[0]), idx]


# --- the fixture -----------------------------------------------------------------------------------------------

VARIANTS = {
    # grouped-query attention (4 query heads share 2 key / value heads), llama3 rope scaling over a short context
    "gqa_llama3": dict(hidden_size=64, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                       num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5, rope_theta=10000.0,
                       rope_scaling={"rope_type": "llama3", "factor": 4.0, "low_freq_factor": 1.0,
                                     "high_freq_factor": 4.0, "original_max_position_embeddings": 16},
                       attention_bias=False, mlp_bias=False),
    # multi-head, linear rope scaling, biases on attention and MLP, a head width that is not hidden / heads
    "mha_linear_bias": dict(hidden_size=48, intermediate_size=80, num_hidden_layers=2, num_attention_heads=4,
                            num_key_value_heads=4, head_dim=16, max_position_embeddings=64, rms_norm_eps=1e-6,
                            rope_theta=500000.0, rope_scaling={"type": "linear", "factor": 2.0},
                            attention_bias=True, mlp_bias=True),
}


def make(variant, tiny, out):
    spec = dict(VARIANTS[variant])
    vocab, merges = build_tokenizer(WORDS)
    cfg = {"model_type": "llama", "architectures": ["LlamaModel"], "vocab_size": len(vocab), "hidden_act": "silu",
           "bos_token_id": 1, "eos_token_id": 2, "pad_token_id": None, "tie_word_embeddings": False,
           "attention_dropout": 0.0, "pretraining_tp": 1, "initializer_range": 0.02, "torch_dtype": "float32"}
    cfg.update(spec)
    cfg.setdefault("head_dim", cfg["hidden_size"] // cfg["num_attention_heads"])
    hidden, inner, hd = cfg["hidden_size"], cfg["intermediate_size"], cfg["head_dim"]
    heads, kv = cfg["num_attention_heads"], cfg["num_key_value_heads"]

    def rnd(*shape, std=0.02):
        return torch.randn(*shape) * std

    w = {"embed_tokens.weight": rnd(len(vocab), hidden, std=0.5), "norm.weight": 1 + rnd(hidden, std=0.1)}
    for i in range(cfg["num_hidden_layers"]):
        p = "layers.%d." % i
        for name, o, n in (("self_attn.q_proj", heads * hd, hidden), ("self_attn.k_proj", kv * hd, hidden),
                           ("self_attn.v_proj", kv * hd, hidden), ("self_attn.o_proj", hidden, heads * hd),
                           ("mlp.gate_proj", inner, hidden), ("mlp.up_proj", inner, hidden),
                           ("mlp.down_proj", hidden, inner)):
            w[p + name + ".weight"] = rnd(o, n, std=0.15)
            bias = cfg["attention_bias"] if name.startswith("self_attn") else cfg["mlp_bias"]
            if bias:
                w[p + name + ".bias"] = rnd(o, std=0.1)
        w[p + "input_layernorm.weight"] = 1 + rnd(hidden, std=0.1)
        w[p + "post_attention_layernorm.weight"] = 1 + rnd(hidden, std=0.1)

    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out + "/text")
    shutil.copytree(tiny + "/vision", out + "/vision")
    json.dump(cfg, open(out + "/text/config.json", "w"), indent=1)
    json.dump(tokenizer_json(vocab, merges), open(out + "/text/tokenizer.json", "w"), ensure_ascii=False, indent=1)
    json.dump({"tokenizer_class": "LlamaTokenizerFast", "bos_token": "<s>", "eos_token": "</s>",
               "unk_token": "<unk>", "pad_token": None, "add_bos_token": True, "add_eos_token": False,
               "model_max_length": cfg["max_position_embeddings"]}, open(out + "/text/tokenizer_config.json", "w"),
              indent=1)
    save_st(out + "/text/model.safetensors", {"model." + k: v for k, v in w.items()})

    tiny_fx = json.load(open(tiny + "/fixture.json"))
    tiny_in = load_st(tiny + "/inputs.safetensors")
    tiny_exp = load_st(tiny + "/expected.safetensors")
    tiny_heads = load_st(tiny + "/heads.safetensors")
    emb = tiny_heads["image_projection.weight"].shape[0]
    heads_st = {"image_projection.weight": tiny_heads["image_projection.weight"],
                "image_projection.bias": tiny_heads["image_projection.bias"],
                "text_projection.weight": rnd(emb, hidden, std=0.2), "text_projection.bias": rnd(emb, std=0.05),
                "logit_scale": tiny_heads["logit_scale"]}
    save_st(out + "/heads.safetensors", heads_st)

    texts = tiny_fx["texts"][:3] + ["no finding \u00e9"]  # the last one falls back to bytes for the accented letter
    ids, mask = batch(vocab, merges, texts, 16, cfg["eos_token_id"])
    zs_texts = tiny_fx["zero_shot_texts"]
    zs_ids, zs_mask = batch(vocab, merges, zs_texts, 16, cfg["eos_token_id"])
    # prompt tuning's class tokens: BOS, then each name as it reads after the context's words (" name" after a word
    # is one "▁name" token; alone, SentencePiece would read a word boundary first)
    prompt_texts = [" " + c for c in tiny_fx["class_names"]]
    rows = [[1] + encode(vocab, merges, "x" + t, special=False)[1:] for t in prompt_texts]
    width = max(len(r) for r in rows)
    p_ids = torch.full((len(rows), width), cfg["eos_token_id"], dtype=torch.int64)
    p_mask = torch.zeros((len(rows), width), dtype=torch.int64)
    for i, r in enumerate(rows):
        p_ids[i, :len(r)] = torch.tensor(r)
        p_mask[i, :len(r)] = 1
    save_st(out + "/inputs.safetensors", {"pixel_values": tiny_in["pixel_values"], "input_ids": ids,
                                          "attention_mask": mask, "zero_shot_input_ids": zs_ids,
                                          "zero_shot_attention_mask": zs_mask, "labels": tiny_in["labels"],
                                          "prompt_input_ids": p_ids, "prompt_attention_mask": p_mask})

    def text_side(adapter=None, i=ids, m=mask):
        hs = llama_forward(cfg, w, i, m, adapter)
        lt = last_token(hs, m)
        return hs, lt, F.normalize(F.linear(lt, heads_st["text_projection.weight"], heads_st["text_projection.bias"]),
                                   dim=-1)

    exp = {}
    with torch.no_grad():
        for k in ("vision.last_hidden_state", "vision.prenorm", "vision.pooled_mean", "image_embeds"):
            exp[k] = tiny_exp[k]  # computed by transformers on the same vision tower, pixels and image projection
        hs, lt, te = text_side()
        exp["text.last_hidden_state"], exp["text.last_token"], exp["text_embeds"] = hs, lt, te
        scale = heads_st["logit_scale"].exp()
        exp["logits_per_image"] = scale * exp["image_embeds"] @ te.t()
        target = torch.arange(te.shape[0])
        exp["loss"] = ((F.cross_entropy(exp["logits_per_image"], target)
                        + F.cross_entropy(exp["logits_per_image"].t(), target))).reshape(1)
        _, _, zs = text_side(i=zs_ids, m=zs_mask)
        exp["zero_shot.text_embeds"] = zs
        exp["zero_shot.logits"] = scale * exp["image_embeds"] @ zs.t()
        exp["zero_shot.probs"] = exp["zero_shot.logits"].softmax(-1)

        # LoRA with peft's llama defaults (q_proj, v_proj), B non-zero so that it matters
        r, alpha = 8, 16
        lora = {}
        for i in range(cfg["num_hidden_layers"]):
            for mod, o in (("self_attn.q_proj", heads * hd), ("self_attn.v_proj", kv * hd)):
                key = "base_model.model.layers.%d.%s" % (i, mod)
                lora[key + ".lora_A.weight"] = rnd(r, hidden, std=0.2)
                lora[key + ".lora_B.weight"] = rnd(o, r, std=0.2)
        write_adapter(out + "/lora", lora, {"peft_type": "LORA", "r": r, "lora_alpha": alpha, "lora_dropout": 0.0,
                                            "target_modules": ["q_proj", "v_proj"], "fan_in_fan_out": False,
                                            "bias": "none", "use_rslora": False, "use_dora": False,
                                            "init_lora_weights": True})
        _, _, exp["lora.text_embeds"] = text_side(Adapter("lora", lora, scaling=alpha / r))

    # context prompt tuning on the model as loaded (no adapter, the image embeddings before any step): the context
    # after BOS, initialised from the init text's token embeddings repeated; BCE with logits; its gradient
    n_ctx, init_text = 4, "this is a chest x ray of"
    init_ids = encode(vocab, merges, init_text, special=False)
    ctx = w["embed_tokens.weight"][[init_ids[i % len(init_ids)] for i in range(n_ctx)]].clone().requires_grad_(True)
    tok_emb = F.embedding(p_ids, w["embed_tokens.weight"])
    classes = p_ids.shape[0]
    embeds = torch.cat([tok_emb[:, :1], ctx[None].expand(classes, n_ctx, hidden), tok_emb[:, 1:]], dim=1)
    full_mask = torch.cat([torch.ones(classes, n_ctx, dtype=torch.int64), p_mask], dim=1)
    p_hidden = llama_forward(cfg, w, None, full_mask, embeds=embeds)
    class_embeds = F.normalize(F.linear(last_token(p_hidden, full_mask), heads_st["text_projection.weight"],
                                        heads_st["text_projection.bias"]), dim=-1)
    p_scores = heads_st["logit_scale"].exp() * tiny_exp["image_embeds"] @ class_embeds.t()
    p_loss = F.binary_cross_entropy_with_logits(p_scores, tiny_in["labels"])
    p_loss.backward()
    exp["prompt.init_ctx"] = w["embed_tokens.weight"][[init_ids[i % len(init_ids)] for i in range(n_ctx)]]
    exp["prompt.class_embeds"] = class_embeds.detach()
    exp["prompt.image_embeds"] = tiny_exp["image_embeds"]
    exp["prompt.scores"] = p_scores.detach()
    exp["prompt.loss"] = p_loss.detach().reshape(1)
    exp["prompt.grad_ctx"] = ctx.grad.detach().clone()

    # one CLEFT contrastive step with the LoRA text tower: gradients of the LoRA matrices, both projections and the
    # logit scale, then torch's AdamW (no decay on parameters with ndim <= 1). The image side enters through the
    # tiny fixture's pooled vision features (transformers computed them); the vision tower's own gradients need a
    # DINOv2 backward, which this script does not have, so they (and the loss after the step) are left out.
    pooled = tiny_exp["vision.pooled_mean"]
    with torch.no_grad():
        check = F.normalize(F.linear(pooled, heads_st["image_projection.weight"], heads_st["image_projection.bias"]),
                            dim=-1)
        assert (check - tiny_exp["image_embeds"]).abs().max() < 1e-6, "vision.pooled_mean is not the projection input"
    params = {}
    for k, v in lora.items():
        params["text." + k.replace(".weight", ".default.weight")] = v.clone().requires_grad_(True)
    for k in ("image_projection.weight", "image_projection.bias", "text_projection.weight", "text_projection.bias"):
        params[k] = heads_st[k].clone().requires_grad_(True)
    params["logit_scale"] = heads_st["logit_scale"].reshape(()).clone().requires_grad_(True)
    step_lora = {k[len("text."):].replace(".default.weight", ".weight"): v for k, v in params.items()
                 if k.startswith("text.")}
    img = F.normalize(F.linear(pooled, params["image_projection.weight"], params["image_projection.bias"]), dim=-1)
    hs = llama_forward(cfg, w, ids, mask, Adapter("lora", step_lora, scaling=alpha / r))
    txt = F.normalize(F.linear(last_token(hs, mask), params["text_projection.weight"], params["text_projection.bias"]),
                      dim=-1)
    logits = params["logit_scale"].exp() * img @ txt.t()
    target = torch.arange(txt.shape[0])
    loss = F.cross_entropy(logits, target) + F.cross_entropy(logits.t(), target)
    loss.backward()
    exp["train.loss"] = loss.detach().reshape(1)
    exp["train.logits_per_image"] = logits.detach()
    for k, p in params.items():
        exp["train.grad." + k] = p.grad.detach().clone()
    lr, wd = 1e-3, 0.1
    opt = torch.optim.AdamW([{"params": [p for p in params.values() if p.ndim > 1], "weight_decay": wd},
                             {"params": [p for p in params.values() if p.ndim <= 1], "weight_decay": 0.0}],
                            lr=lr, betas=(0.9, 0.999), eps=1e-8)
    opt.step()
    for k, p in params.items():
        exp["train.after_step." + k] = p.detach().clone()
    # as the transformers generator does: IA3 below uses the text projection after the step
    heads_after = {k: params[k].detach() for k in ("text_projection.weight", "text_projection.bias")}
    train_meta = {"optimizer": "AdamW", "lr": lr, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": wd,
                  "no_decay": "parameters with ndim <= 1",
                  "trainable": "LoRA A/B of the text tower, both projections, logit_scale (the vision tower's "
                               "gradients are not in this fixture)",
                  "grad_keys": list(params)}

    with torch.no_grad():

        # IA3 with peft's llama defaults: k_proj, v_proj (outputs scaled) and down_proj (feed-forward: input scaled)
        ia3 = {}
        for i in range(cfg["num_hidden_layers"]):
            base = "base_model.model.layers.%d." % i
            ia3[base + "self_attn.k_proj.ia3_l"] = 1 + rnd(kv * hd, 1, std=0.3)
            ia3[base + "self_attn.v_proj.ia3_l"] = 1 + rnd(kv * hd, 1, std=0.3)
            ia3[base + "mlp.down_proj.ia3_l"] = 1 + rnd(1, inner, std=0.3)
        write_adapter(out + "/ia3", ia3, {"peft_type": "IA3", "target_modules": ["k_proj", "v_proj", "down_proj"],
                                          "feedforward_modules": ["down_proj"], "fan_in_fan_out": False,
                                          "init_ia3_weights": True})
        hs3 = llama_forward(cfg, w, ids, mask, Adapter("ia3", ia3, feedforward=("down_proj",)))
        exp["ia3.text_embeds"] = F.normalize(F.linear(last_token(hs3, mask), heads_after["text_projection.weight"],
                                                      heads_after["text_projection.bias"]), dim=-1)
    save_st(out + "/expected.safetensors", exp)

    # prefix tuning over the key / value heads (peft sets token_dim to kv * head_dim for grouped-query models)
    with torch.no_grad():
        virtual = 3
        prompt = rnd(virtual, cfg["num_hidden_layers"] * 2 * kv * hd, std=0.5)
        write_adapter(out + "/prefix", {"prompt_embeddings": prompt},
                      {"peft_type": "PREFIX_TUNING", "task_type": "CAUSAL_LM", "num_virtual_tokens": virtual,
                       "num_layers": cfg["num_hidden_layers"], "num_attention_heads": kv, "token_dim": kv * hd,
                       "encoder_hidden_size": hidden, "prefix_projection": False,
                       "num_transformer_submodules": 1})
        hs, lt, te = text_side(Adapter(prefix=prompt))
        save_st(out + "/expected_prefix.safetensors", {"prefix.text.last_hidden_state": hs, "prefix.text_embeds": te})

    fixture = {
        "name": "llama-" + variant,
        "generator": "tools/llama-reference/gen_llama_fixture.py (plain PyTorch %s, not transformers)"
                     % torch.__version__,
        "spec": dict(spec, vocab_size=len(vocab), head_dim=hd, text="llama", emb_dim=emb, batch=len(texts),
                     max_words=16, lora_r=r, lora_alpha=alpha, input_size=tiny_fx["spec"]["input_size"],
                     vision=tiny_fx["spec"]["vision"]),
        "notes": ["written by a PyTorch re-implementation of HF LlamaModel and peft's LoRA / IA3 / prefix tuning, "
                  "not by transformers: see tools/llama-reference/README.md",
                  "vision.*, image_embeds, pixel_values and labels are the tiny fixture's (computed by transformers)",
                  "train.*: one contrastive step without the vision tower's gradients (the script has no DINOv2 "
                  "backward); ia3.* uses the text projection after that step, as the transformers fixtures do",
                  "prompt.* runs on the model as loaded (prompt.model 'loaded'): no adapter, the image embeddings "
                  "before the training step"],
        "train": train_meta,
        "prompt": {"n_ctx": n_ctx, "init_text": init_text, "init_ids": init_ids, "model": "loaded",
                   "layout": "[BOS, ctx_1..ctx_n, class tokens]; positions 0..n+len; attention mask ones for ctx",
                   "loss": "binary_cross_entropy_with_logits(logit_scale.exp() * image_embeds @ class_embeds.T, "
                           "labels)"},
        "prompt_texts": prompt_texts,
        "texts": texts, "zero_shot_texts": zs_texts, "class_names": tiny_fx["class_names"],
        "tensors": {k: list(v.shape) for k, v in exp.items()},
    }
    json.dump(fixture, open(out + "/fixture.json", "w"), indent=1, ensure_ascii=False)
    print("wrote", out, "-", len(exp), "expected tensors, vocab", len(vocab))


def write_adapter(d, tensors, config):
    os.makedirs(d)
    c = {"base_model_name_or_path": "../text", "inference_mode": True, "modules_to_save": None, "revision": None,
         "task_type": None, "peft_version": "0.13.0 (format)"}
    c.update(config)
    json.dump(c, open(d + "/adapter_config.json", "w"), indent=1)
    save_st(d + "/adapter_model.safetensors", tensors)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    for v in sys.argv[3:] or ["gqa_llama3"]:
        make(v, sys.argv[1], os.path.join(sys.argv[2], v))
