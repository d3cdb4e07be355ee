#!/usr/bin/env python3
"""Convert a checkpoint of the CLEFT authors' PyTorch code (github XYPB/CLEFT, PyTorch Lightning) to
the cleft checkpoint layout (docs/checkpoint-format.md): text/ and vision/ HF folders, a peft adapter
folder, heads.safetensors and cleft.json. See docs/converting-checkpoints.md.

Usage:
  python convert_cleft_checkpoint.py --ckpt last.ckpt --text-base BioMedLM/ --out cleft-biomedlm/
  python convert_cleft_checkpoint.py --self-test cleft-testkit/src/main/resources/org/cleft/testkit/fixtures/tiny

Needs numpy; reading a Lightning .ckpt (a pickle) needs torch. A .safetensors file holding the same
state dict is read without torch. --self-test rebuilds an authors'-layout state dict from a cleft
fixture, converts it back and compares every tensor: it checks this script's mapping, not a real
authors' checkpoint (none was available when it was written).
"""
import argparse
import json
import os
import re
import shutil
import struct
import sys

import numpy as np

VISION = "img_encoder_q.model."
TEXT = "text_encoder_q.model."
DTYPES = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32}
NAMES = {np.dtype(v): k for k, v in DTYPES.items()}

# torch.hub DINOv2 names -> HF Dinov2WithRegistersModel names (the fused qkv is split separately)
VISION_RENAMES = [
    (r"^cls_token$", "embeddings.cls_token"),
    (r"^mask_token$", "embeddings.mask_token"),
    (r"^register_tokens$", "embeddings.register_tokens"),
    (r"^pos_embed$", "embeddings.position_embeddings"),
    (r"^patch_embed\.proj\.", "embeddings.patch_embeddings.projection."),
    (r"^norm\.", "layernorm."),
    (r"^blocks\.(\d+)\.norm([12])\.", r"encoder.layer.\1.norm\2."),
    (r"^blocks\.(\d+)\.attn\.proj\.", r"encoder.layer.\1.attention.output.dense."),
    (r"^blocks\.(\d+)\.ls([12])\.gamma$", r"encoder.layer.\1.layer_scale\2.lambda1"),
    (r"^blocks\.(\d+)\.mlp\.(fc[12])\.", r"encoder.layer.\1.mlp.\2."),
]


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] == "BF16":
            raw = np.frombuffer(data[info["data_offsets"][0]:info["data_offsets"][1]], dtype="<u2")
            arr = (raw.astype(np.uint32) << 16).view(np.float32)
        else:
            begin, end = info["data_offsets"]
            arr = np.frombuffer(data[begin:end], dtype=np.dtype(DTYPES[info["dtype"]]).newbyteorder("<"))
        out[name] = arr.reshape(info["shape"]).copy()
    return out


def write_safetensors(path, tensors, metadata=None):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        arr = np.ascontiguousarray(tensors[name])
        blob = arr.astype(arr.dtype.newbyteorder("<"), copy=False).tobytes()
        header[name] = {"dtype": NAMES[arr.dtype], "shape": list(arr.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load_checkpoint(path):
    """Returns (state dict of float32/int numpy arrays, hyper-parameters or {})."""
    if path.endswith(".safetensors"):
        return read_safetensors(path), {}
    import torch  # only needed for pickled checkpoints
    # A Lightning checkpoint pickles its hyper-parameters too: only load files you trust.
    ckpt = torch.load(path, map_location="cpu", weights_only=False)
    sd = ckpt.get("state_dict", ckpt)
    hparams = dict(ckpt.get("hyper_parameters", {}))
    out = {}
    for name, t in sd.items():
        t = t.detach()
        out[name] = (t.float() if t.is_floating_point() else t).numpy()
    return out, hparams


def check_hparams(hparams):
    """The settings cleft can represent; the authors' README trains with all of them."""
    problems = []
    if hparams.get("linear_proj") is False:
        problems.append("trained without --linear_proj: its projection heads are MLPs with batch norm, cleft's are linear")
    if hparams.get("pool_feat") is False and not hparams.get("img_mask_ratio"):
        problems.append("trained without --pool_feat: the image feature is the normed CLS token, cleft pools the mean "
                        "of the pre-norm tokens (mean_prenorm)")
    if hparams.get("llm_type", "gpt") != "gpt":
        problems.append(f"llm_type {hparams.get('llm_type')}: cleft's text tower is GPT-2 architecture (BioMedLM)")
    if hparams.get("prompt_ft"):
        problems.append("a prompt-tuned (stage 2) checkpoint: convert the stage-1 checkpoint and run cleft prompt-tune")
    if problems:
        raise SystemExit("cannot convert: " + "; ".join(problems))


def convert_vision(sd):
    src = {k[len(VISION):]: v for k, v in sd.items() if k.startswith(VISION)}
    if not src:
        raise SystemExit(f"no '{VISION}*' tensors: not a CLEFT checkpoint with the DINOv2 image encoder")
    out = {}
    for name, arr in src.items():
        m = re.match(r"^blocks\.(\d+)\.attn\.qkv\.(weight|bias)$", name)
        if m:
            for part, chunk in zip(("query", "key", "value"), np.split(arr, 3, axis=0)):
                out[f"encoder.layer.{m.group(1)}.attention.attention.{part}.{m.group(2)}"] = chunk
            continue
        if re.match(r"^blocks\.\d+\.\d+\.", name):
            raise SystemExit(f"{VISION}{name}: chunked blocks (a giant DINOv2) are not supported")
        for pattern, repl in VISION_RENAMES:
            if re.match(pattern, name):
                out[re.sub(pattern, repl, name)] = arr
                break
        else:
            raise SystemExit(f"{VISION}{name}: unknown DINOv2 tensor")
    return out


def vision_config(v, heads):
    hidden = v["embeddings.cls_token"].shape[-1]
    patch = v["embeddings.patch_embeddings.projection.weight"].shape[-1]
    side = int(round((v["embeddings.position_embeddings"].shape[1] - 1) ** 0.5))
    registers = v["embeddings.register_tokens"].shape[1] if "embeddings.register_tokens" in v else 0
    layers = len({k.split(".")[2] for k in v if k.startswith("encoder.layer.")})
    return {
        "architectures": ["Dinov2WithRegistersModel" if registers else "Dinov2Model"],
        "model_type": "dinov2_with_registers" if registers else "dinov2",
        "hidden_size": int(hidden), "num_hidden_layers": layers, "num_attention_heads": heads or hidden // 64,
        "mlp_ratio": v["encoder.layer.0.mlp.fc1.weight"].shape[0] // hidden, "patch_size": int(patch),
        "image_size": side * int(patch), "num_channels": 3, "num_register_tokens": int(registers),
        "qkv_bias": "encoder.layer.0.attention.attention.query.bias" in v, "layerscale_value": 1.0,
        "layer_norm_eps": 1e-6, "hidden_act": "gelu", "use_swiglu_ffn": False, "drop_path_rate": 0.0,
        "hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0, "initializer_range": 0.02,
    }


def convert_text(sd):
    """Returns (GPT-2 weights under GPT2Model names, adapter kind or None, adapter tensors)."""
    base, adapter, kind = {}, {}, None
    for key, arr in sd.items():
        if not key.startswith(TEXT):
            continue
        name = key[len(TEXT):]
        while name.startswith("base_model.model."):
            name = name[len("base_model.model."):]
        if name.startswith("transformer."):
            name = name[len("transformer."):]
        if name.startswith("lm_head") or name.startswith("prompt_encoder."):
            continue
        m = re.match(r"^(.*)\.(lora_[AB])\.default\.weight$", name)
        if m:
            kind = _one_kind(kind, "lora", key)
            adapter[f"base_model.model.{m.group(1)}.{m.group(2)}.weight"] = arr
            continue
        m = re.match(r"^(.*)\.ia3_l\.default$", name)
        if m:
            kind = _one_kind(kind, "ia3", key)
            adapter[f"base_model.model.{m.group(1)}.ia3_l"] = arr
            continue
        base[name.replace(".base_layer.", ".")] = arr
    if not base:
        raise SystemExit(f"no '{TEXT}*' tensors: not a CLEFT checkpoint with a causal LM text encoder")
    return base, kind, adapter


def _one_kind(current, new, key):
    if current not in (None, new):
        raise SystemExit(f"{key}: both {current} and {new} adapter tensors")
    return new


def adapter_config(kind, adapter, lora_alpha, lora_dropout):
    # module paths inside a block, e.g. attn.c_attn, mlp.c_proj; peft matches target_modules by suffix,
    # so c_proj (in both attn and mlp) keeps its parent and the others are named alone, as peft writes them
    paths = {re.sub(r"^base_model\.model\.h\.\d+\.", "", k).rsplit(".", 2 if kind == "lora" else 1)[0] for k in adapter}
    modules = sorted(p if p.endswith("c_proj") else p.rsplit(".", 1)[-1] for p in paths)
    common = {"base_model_name_or_path": "../text", "fan_in_fan_out": True, "inference_mode": True,
              "task_type": None, "target_modules": modules,
              "auto_mapping": {"base_model_class": "GPT2Model",
                               "parent_library": "transformers.models.gpt2.modeling_gpt2"}}
    if kind == "lora":
        rank = next(v.shape[0] for k, v in adapter.items() if k.endswith("lora_A.weight"))
        return {**common, "peft_type": "LORA", "r": int(rank), "lora_alpha": lora_alpha, "lora_dropout": lora_dropout,
                "bias": "none", "rank_pattern": {}, "alpha_pattern": {}, "use_rslora": False, "use_dora": False}
    return {**common, "peft_type": "IA3", "feedforward_modules": [m for m in modules if m in ("mlp.c_proj", "c_fc")]}


def convert_heads(sd):
    try:
        heads = {
            "image_projection.weight": sd["img_encoder_q.global_embed.weight"],
            "image_projection.bias": sd["img_encoder_q.global_embed.bias"],
            "text_projection.weight": sd["text_encoder_q.global_embed.weight"],
            "text_projection.bias": sd["text_encoder_q.global_embed.bias"],
            "logit_scale": np.asarray(sd["logit_scale"], dtype=np.float32).reshape(1),
        }
    except KeyError as e:
        raise SystemExit(f"missing {e}: the projections must be linear (trained with --linear_proj)") from None
    return {k: v.astype(np.float32) for k, v in heads.items()}


def convert(sd, out, text_base, vision_heads=None, lora_alpha=32, lora_dropout=0.1, source="", image_size=224):
    os.makedirs(out, exist_ok=True)
    vision = convert_vision(sd)
    os.makedirs(os.path.join(out, "vision"), exist_ok=True)
    write_safetensors(os.path.join(out, "vision", "model.safetensors"), vision, {"format": "pt"})
    with open(os.path.join(out, "vision", "config.json"), "w") as f:
        json.dump(vision_config(vision, vision_heads), f, indent=2)

    text, kind, adapter = convert_text(sd)
    os.makedirs(os.path.join(out, "text"), exist_ok=True)
    write_safetensors(os.path.join(out, "text", "model.safetensors"), text, {"format": "pt"})
    for name in ("config.json", "tokenizer.json", "vocab.json", "merges.txt", "tokenizer_config.json",
                 "special_tokens_map.json"):
        if os.path.isfile(os.path.join(text_base, name)):
            shutil.copy(os.path.join(text_base, name), os.path.join(out, "text", name))
    if not os.path.isfile(os.path.join(out, "text", "config.json")):
        raise SystemExit(f"{text_base}: no config.json (pass the HF folder of the base LM, e.g. BioMedLM)")
    if kind:
        os.makedirs(os.path.join(out, kind), exist_ok=True)
        write_safetensors(os.path.join(out, kind, "adapter_model.safetensors"), adapter, {"format": "pt"})
        with open(os.path.join(out, kind, "adapter_config.json"), "w") as f:
            json.dump(adapter_config(kind, adapter, lora_alpha, lora_dropout), f, indent=2)

    write_safetensors(os.path.join(out, "heads.safetensors"), convert_heads(sd))
    manifest = {
        "format": "cleft-checkpoint", "format_version": 1,
        "text": {"path": "text", "adapter": kind, "pooling": "last_token"},
        "vision": {"path": "vision", "pooling": "mean_prenorm", "image_size": image_size},
        "heads": "heads.safetensors",
        "provenance": {"converted_from": source, "converter": "tools/convert/convert_cleft_checkpoint.py"},
    }
    if kind is None:
        del manifest["text"]["adapter"]
    with open(os.path.join(out, "cleft.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    return kind


def self_test(fixture, work):
    """Rebuilds the authors' layout from a cleft fixture, converts it back, compares every tensor."""
    vision = read_safetensors(os.path.join(fixture, "vision", "model.safetensors"))
    sd = {}
    for name, arr in vision.items():
        m = re.match(r"^encoder\.layer\.(\d+)\.attention\.attention\.query\.(weight|bias)$", name)
        if m:
            parts = [vision[f"encoder.layer.{m.group(1)}.attention.attention.{p}.{m.group(2)}"]
                     for p in ("query", "key", "value")]
            sd[f"{VISION}blocks.{m.group(1)}.attn.qkv.{m.group(2)}"] = np.concatenate(parts, axis=0)
            continue
        if re.match(r"^encoder\.layer\.\d+\.attention\.attention\.(key|value)\.", name):
            continue
        hub = _to_hub(name)
        sd[VISION + hub] = arr
    for name, arr in read_safetensors(os.path.join(fixture, "text", "model.safetensors")).items():
        sd[f"{TEXT}base_model.model.transformer.{name.replace('attn.c_attn.', 'attn.c_attn.base_layer.')}"] = arr
    for name, arr in read_safetensors(os.path.join(fixture, "lora", "adapter_model.safetensors")).items():
        m = re.match(r"^base_model\.model\.(.*)\.(lora_[AB])\.weight$", name)
        sd[f"{TEXT}base_model.model.transformer.{m.group(1)}.{m.group(2)}.default.weight"] = arr
    heads = read_safetensors(os.path.join(fixture, "heads.safetensors"))
    sd["img_encoder_q.global_embed.weight"] = heads["image_projection.weight"]
    sd["img_encoder_q.global_embed.bias"] = heads["image_projection.bias"]
    sd["text_encoder_q.global_embed.weight"] = heads["text_projection.weight"]
    sd["text_encoder_q.global_embed.bias"] = heads["text_projection.bias"]
    sd["logit_scale"] = heads["logit_scale"].reshape(())
    sd["img_encoder_q.local_embed.head.0.weight"] = np.zeros((2, 2), np.float32)  # unused by CLEFT, dropped

    heads_per_layer = json.load(open(os.path.join(fixture, "vision", "config.json")))["num_attention_heads"]
    convert(sd, work, os.path.join(fixture, "text"), vision_heads=heads_per_layer, source="self-test")
    failures = 0
    for rel in ("vision/model.safetensors", "text/model.safetensors", "lora/adapter_model.safetensors",
                "heads.safetensors"):
        want, got = read_safetensors(os.path.join(fixture, rel)), read_safetensors(os.path.join(work, rel))
        for name in sorted(set(want) | set(got)):
            if name not in got or name not in want or not np.array_equal(want[name], got[name]):
                print(f"MISMATCH {rel} {name}")
                failures += 1
        print(f"{rel}: {len(want)} tensors expected, {len(got)} written")
    config = json.load(open(os.path.join(work, "vision", "config.json")))
    reference = json.load(open(os.path.join(fixture, "vision", "config.json")))
    for key in ("hidden_size", "num_hidden_layers", "num_attention_heads", "patch_size", "num_register_tokens",
                "mlp_ratio", "model_type"):
        if config[key] != reference[key]:
            print(f"MISMATCH vision/config.json {key}: {config[key]} != {reference[key]}")
            failures += 1
    lora = json.load(open(os.path.join(work, "lora", "adapter_config.json")))
    reference = json.load(open(os.path.join(fixture, "lora", "adapter_config.json")))
    for key in ("r", "target_modules", "fan_in_fan_out", "peft_type"):
        if lora[key] != reference[key]:
            print(f"MISMATCH lora/adapter_config.json {key}: {lora[key]} != {reference[key]}")
            failures += 1
    print(f"{failures} mismatches")
    return failures == 0


# The inverse of VISION_RENAMES, written out separately so that the self-test checks the forward table.
HUB_NAMES = [
    (r"^embeddings\.cls_token$", "cls_token"),
    (r"^embeddings\.mask_token$", "mask_token"),
    (r"^embeddings\.register_tokens$", "register_tokens"),
    (r"^embeddings\.position_embeddings$", "pos_embed"),
    (r"^embeddings\.patch_embeddings\.projection\.", "patch_embed.proj."),
    (r"^layernorm\.", "norm."),
    (r"^encoder\.layer\.(\d+)\.norm([12])\.", r"blocks.\1.norm\2."),
    (r"^encoder\.layer\.(\d+)\.attention\.output\.dense\.", r"blocks.\1.attn.proj."),
    (r"^encoder\.layer\.(\d+)\.layer_scale([12])\.lambda1$", r"blocks.\1.ls\2.gamma"),
    (r"^encoder\.layer\.(\d+)\.mlp\.(fc[12])\.", r"blocks.\1.mlp.\2."),
]


def _to_hub(hf_name):
    for pattern, repl in HUB_NAMES:
        if re.match(pattern, hf_name):
            return re.sub(pattern, repl, hf_name)
    raise ValueError(f"no torch.hub name for {hf_name}")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--ckpt", help="the authors' Lightning .ckpt (or a .safetensors of its state dict)")
    p.add_argument("--text-base", help="HF folder of the base LM (config.json, tokenizer files), e.g. BioMedLM")
    p.add_argument("--out", help="the cleft checkpoint folder to write")
    p.add_argument("--vision-heads", type=int, help="attention heads of the ViT (default hidden_size / 64)")
    p.add_argument("--lora-alpha", type=float, default=32, help="LoRA alpha the authors trained with (32)")
    p.add_argument("--lora-dropout", type=float, default=0.1, help="LoRA dropout (0.1), recorded only")
    p.add_argument("--image-size", type=int, default=224, help="training input size written to cleft.json (224)")
    p.add_argument("--self-test", metavar="FIXTURE", help="round-trip a cleft fixture folder and exit")
    a = p.parse_args()
    if a.self_test:
        import tempfile
        with tempfile.TemporaryDirectory() as work:
            sys.exit(0 if self_test(a.self_test, work) else 1)
    if not (a.ckpt and a.text_base and a.out):
        p.error("--ckpt, --text-base and --out are required")
    sd, hparams = load_checkpoint(a.ckpt)
    check_hparams(hparams)
    kind = convert(sd, a.out, a.text_base, a.vision_heads, a.lora_alpha, a.lora_dropout,
                   os.path.basename(a.ckpt), a.image_size)
    print(f"wrote {a.out} (text adapter: {kind or 'none'}); check it with: ./cleft eval --model {a.out} ...")


if __name__ == "__main__":
    main()
