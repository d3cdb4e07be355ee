#!/usr/bin/python3
"""Writes DICOM files in the transfer syntaxes PACS archives use, with other toolkits than cleft (pydicom for the
sources, dcmtk's dcmconv/dcmcrle/dcmcjpeg/dcmcjpls and GDCM's gdcmconv for the encodings), and the pixels pydicom
decodes from each (with GDCM as its pixel handler) as the reference cleft's decoder must match.

usage: make_fixtures.py OUT_DIR      (Debian: apt-get install python3-pydicom python3-gdcm dcmtk libgdcm-tools
                                      libopenjp2-tools)

OUT_DIR gets NAME.dcm files, expected.safetensors (F32 [rows, cols, samples] per NAME: pydicom's pixel_array of
the first frame, after the modality LUT, colour converted to RGB; for a file with a VOI LUT also NAME#display, its
output scaled to 0..255) and manifest.json (per NAME: transfer syntax,
photometric interpretation, whether the syntax is lossless, and for files without pixels the SOP class).
"""
import json
import os
import struct
import subprocess
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileDataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

LOSSY = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.81", "1.2.840.10008.1.2.4.91"}


def base(rows, cols, samples, bits, photometric, signed=False, sop="1.2.840.10008.5.1.4.1.1.1.1"):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sop
    meta.MediaStorageSOPInstanceUID = generate_uid(entropy_srcs=[photometric, str(bits), str(rows)])
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = FileDataset("", Dataset(), file_meta=meta, preamble=b"\0" * 128)
    ds.is_little_endian, ds.is_implicit_VR = True, False
    ds.SOPClassUID, ds.SOPInstanceUID = sop, meta.MediaStorageSOPInstanceUID
    ds.Modality, ds.PatientName, ds.PatientID = "DX", "Interop^Test", "0"
    ds.StudyInstanceUID = ds.SeriesInstanceUID = generate_uid(entropy_srcs=["study"])
    ds.Rows, ds.Columns, ds.SamplesPerPixel, ds.PhotometricInterpretation = rows, cols, samples, photometric
    ds.BitsAllocated = 8 if bits <= 8 else 16
    ds.BitsStored, ds.HighBit, ds.PixelRepresentation = bits, bits - 1, 1 if signed else 0
    if samples == 3:
        ds.PlanarConfiguration = 0
    y, x = np.mgrid[0:rows, 0:cols]
    top = (1 << bits) - 1
    if samples == 1:
        img = (x * top // (cols - 1) + (y * 37) % 97) % (top + 1)
        if signed:
            img = img - (1 << (bits - 1))
        arr = img.astype(np.int16 if signed else (np.uint8 if bits <= 8 else np.uint16))
    else:
        arr = np.stack([x * 255 // (cols - 1), y * 255 // (rows - 1), (x + y) * 4 % 256], -1).astype(np.uint8)
    ds.PixelData = arr.tobytes()
    return ds


def with_lut(ds, sequence, entries, first, bits, values, first_vr="US"):
    """Adds a one-item Modality or VOI LUT Sequence: descriptor [entries, first, bits], data as 16-bit words."""
    item = Dataset()
    item.add_new(0x00283002, first_vr, [entries % 65536, first, bits])
    item.add_new(0x00283003, "LO", "interop test table")
    item.add_new(0x00283006, "OW", np.round(values).astype("<u2").tobytes())
    setattr(ds, sequence, pydicom.Sequence([item]))
    return ds


def display(arr, ds):
    """pydicom's VOI LUT output (preferred to the window), scaled from its declared bits to 0..255 as cleft does."""
    out = pydicom.pixel_data_handlers.util.apply_voi_lut(arr, ds, prefer_lut=True)
    bits = ds.VOILUTSequence[0].LUTDescriptor[2]
    return np.round(out.astype(np.float64) * 255 / ((1 << bits) - 1))


def j2k_short_tile_counts(src_path, dst_path, tmp):
    """A JPEG 2000 Lossless file whose tiles are split into tile-parts by resolution (OpenJPEG's opj_compress) and
    whose SOT markers count one tile-part fewer than written, interleaved across tiles, as OpenJPEG 1.x in GDCM 2.0
    wrote them (pydicom's GDCMJ2K_TextGBR.dcm): GDCM reads every tile-part, jj2000 as is drops the last."""
    ds = pydicom.dcmread(src_path)
    arr = ds.pixel_array
    pnm = os.path.join(tmp, "tileparts.ppm" if ds.SamplesPerPixel == 3 else "tileparts.pgm")
    top = (1 << ds.BitsStored) - 1
    with open(pnm, "wb") as f:
        f.write(b"%s\n%d %d\n%d\n" % (b"P6" if ds.SamplesPerPixel == 3 else b"P5", ds.Columns, ds.Rows, top))
        f.write(arr.astype(">u2" if top > 255 else "u1").tobytes())
    j2k = os.path.join(tmp, "tileparts.j2k")
    run("opj_compress", "-i", pnm, "-o", j2k, "-t", "16,16", "-n", "3", "-TP", "R")
    code = open(j2k, "rb").read()
    at = 2
    while struct.unpack(">H", code[at:at + 2])[0] != 0xFF90:
        at += 2 + struct.unpack(">H", code[at + 2:at + 4])[0]
    head, parts = code[:at], []
    while struct.unpack(">H", code[at:at + 2])[0] == 0xFF90:
        length = struct.unpack(">I", code[at + 6:at + 10])[0]
        part = bytearray(code[at:at + length])
        assert part[11] > 1, "opj_compress wrote one tile-part per tile"
        part[11] -= 1
        parts.append(part)
        at += length
    # GDCM's order: the first tile-part of every tile, then the second of every tile, ...
    parts.sort(key=lambda p: (p[10], struct.unpack(">H", p[4:6])[0]))
    code = head + b"".join(parts) + code[at:]
    os.remove(pnm)
    os.remove(j2k)
    ds.file_meta.TransferSyntaxUID = "1.2.840.10008.1.2.4.90"
    ds.PixelData = pydicom.encaps.encapsulate([bytes(code)])
    ds["PixelData"].is_undefined_length = True
    ds["PixelData"].VR = "OB"
    if ds.SamplesPerPixel == 3:
        ds.PhotometricInterpretation = "YBR_RCT"
    ds.save_as(dst_path, write_like_original=False)


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def expected(path, frame=0):
    ds = pydicom.dcmread(path, force=True)
    if "TransferSyntaxUID" not in ds.file_meta:  # the file without meta: pydicom read it as implicit VR LE
        ds.file_meta.TransferSyntaxUID = pydicom.uid.ImplicitVRLittleEndian
    arr = ds.pixel_array
    if "NumberOfFrames" in ds and int(ds.NumberOfFrames) > 1:
        arr = arr[frame]
    if ds.SamplesPerPixel == 3 and ds.BitsStored > 8:
        arr = arr >> (ds.BitsStored - 8)  # cleft's RGB is 8-bit: each sample by its top byte
    if ds.SamplesPerPixel == 3 and ds.PhotometricInterpretation in ("YBR_FULL", "YBR_FULL_422"):  # not YBR_RCT: the
        # JPEG 2000 decoder undoes the reversible colour transform itself
        arr = pydicom.pixel_data_handlers.util.convert_color_space(arr, ds.PhotometricInterpretation, "RGB")
    if ds.PhotometricInterpretation == "PALETTE COLOR":
        arr = pydicom.pixel_data_handlers.util.apply_color_lut(arr, ds)
        if ds.RedPaletteColorLookupTableDescriptor[2] == 16:
            arr = arr >> 8  # cleft's RGB is 8-bit: a 16-bit table entry by its high byte
    elif ds.SamplesPerPixel == 1:
        arr = pydicom.pixel_data_handlers.util.apply_modality_lut(arr, ds)
        arr = arr[..., None]
    return np.ascontiguousarray(arr.astype(np.float32)), ds


def expected_display(path):
    ds = pydicom.dcmread(path, force=True)
    arr = pydicom.pixel_data_handlers.util.apply_modality_lut(ds.pixel_array, ds)
    return np.ascontiguousarray(display(arr, ds)[..., None].astype(np.float32))


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name, a in tensors.items():
        b = a.astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    src = os.path.join(out, "_src")
    os.makedirs(src, exist_ok=True)
    sources = {
        "mono16": base(48, 64, 1, 12, "MONOCHROME2"),
        "mono8": base(48, 64, 1, 8, "MONOCHROME2"),
        "rgb8": base(24, 32, 3, 8, "RGB"),
        "signed16": base(40, 56, 1, 16, "MONOCHROME2", signed=True),
    }
    mono1 = base(48, 64, 1, 8, "MONOCHROME1")
    sources["mono1"] = mono1
    rescaled = base(48, 64, 1, 12, "MONOCHROME2")
    rescaled.RescaleSlope, rescaled.RescaleIntercept = "2", "-1024"
    sources["rescaled16"] = rescaled
    multi = base(48, 64, 1, 12, "MONOCHROME2")
    frames = np.stack([np.frombuffer(multi.PixelData, np.uint16).reshape(48, 64) // (k + 1) for k in range(3)])
    multi.NumberOfFrames, multi.PixelData = 3, frames.astype(np.uint16).tobytes()
    sources["multi16"] = multi
    # palette colour: 8-bit indices into 256-entry tables of 16 and of 8 bits (as ultrasound and secondary capture
    # objects carry them), the first mapped value 0 and 16
    for bits, first in ((16, 0), (8, 16)):
        pal = base(48, 64, 1, 8, "PALETTE COLOR")
        ramp = np.arange(256)
        top = (1 << bits) - 1
        for colour, values in (("Red", ramp * top // 255), ("Green", (255 - ramp) * top // 255),
                               ("Blue", (ramp * 7 % 256) * top // 255)):
            setattr(pal, colour + "PaletteColorLookupTableDescriptor", [256, first, bits])
            setattr(pal, colour + "PaletteColorLookupTableData", values.astype("<u2").tobytes())
        sources["palette%d" % bits] = pal
    # 16-bit colour (secondary captures of some viewers): cleft keeps each sample's top byte
    rgb16 = base(24, 32, 3, 8, "RGB")
    rgb16.BitsAllocated, rgb16.BitsStored, rgb16.HighBit = 16, 16, 15
    rgb16.PixelData = (np.frombuffer(sources["rgb8"].PixelData, np.uint8).astype("<u2") * 257 + 3).tobytes()
    sources["rgb16"] = rgb16
    # 32-bit samples (as RT dose grids hold them), whose big-endian encoding swaps 4 bytes, not OW's 2
    dose = base(48, 64, 1, 16, "MONOCHROME2")
    y, x = np.mgrid[0:48, 0:64]
    dose.BitsAllocated, dose.BitsStored, dose.HighBit = 32, 32, 31
    dose.PixelData = ((x * 70001 + y * 1234567) % (1 << 32)).astype("<u4").tobytes()
    sources["mono32"] = dose
    # lookup tables: a VOI LUT (a sigmoid, over part of the range, so that both ends clip) that takes precedence over
    # the window beside it; one whose first value mapped is negative (SS) on signed pixels; one of 8-bit entries; and
    # a modality LUT in place of rescale slope and intercept. (pydicom 2.3 indexes an 8-bit table through uint8, so
    # an input more than 255 above the first value mapped wraps there: the 8-bit table is kept on 8-bit pixels.)
    sources["voilut16"] = with_lut(base(48, 64, 1, 12, "MONOCHROME2"), "VOILUTSequence", 3000, 500, 16,
                                   65535 / (1 + np.exp(-(np.arange(3000) - 1500) / 300)))
    sources["voilut16"].WindowCenter, sources["voilut16"].WindowWidth = "2048", "4096"
    sources["voilutsigned"] = with_lut(base(40, 56, 1, 16, "MONOCHROME2", signed=True), "VOILUTSequence", 30000,
                                       -15000, 16, np.sqrt(np.arange(30000) / 30000) * 65535, first_vr="SS")
    sources["voilut8"] = with_lut(base(48, 64, 1, 8, "MONOCHROME2"), "VOILUTSequence", 200, 30, 8,
                                  255 - np.arange(200) * 255 / 199)
    sources["modlut16"] = with_lut(base(48, 64, 1, 12, "MONOCHROME2"), "ModalityLUTSequence", 4096, 0, 16,
                                   np.sqrt(np.arange(4096)) * 1000)
    for name, ds in sources.items():
        ds.save_as(os.path.join(src, name + ".dcm"), write_like_original=False)
    made = {}

    def encode(name, source, tool):
        dst = os.path.join(out, name + ".dcm")
        tool(os.path.join(src, source + ".dcm"), dst)
        made[name] = dst

    for s in ("mono16", "mono8", "rgb8", "signed16", "mono1", "rescaled16", "palette16", "palette8"):
        encode(s + "_explicit_le", s, lambda a, b: run("dcmconv", "+te", a, b))
    encode("palette16_rle", "palette16", lambda a, b: run("dcmcrle", a, b))
    encode("palette16_implicit_le", "palette16", lambda a, b: run("dcmconv", "+ti", a, b))
    encode("mono32_explicit_le", "mono32", lambda a, b: run("dcmconv", "+te", a, b))
    encode("rgb16_explicit_le", "rgb16", lambda a, b: run("dcmconv", "+te", a, b))
    encode("rgb16_rle", "rgb16", lambda a, b: run("dcmcrle", a, b))
    encode("mono32_big_endian", "mono32", lambda a, b: run("dcmconv", "+tb", a, b))
    for s in ("mono16", "rgb8"):
        encode(s + "_implicit_le", s, lambda a, b: run("dcmconv", "+ti", a, b))
        encode(s + "_big_endian", s, lambda a, b: run("dcmconv", "+tb", a, b))
        encode(s + "_deflated", s, lambda a, b: run("dcmconv", "+td", a, b))
    for s in ("mono16", "mono8", "rgb8", "signed16"):
        encode(s + "_rle", s, lambda a, b: run("dcmcrle", a, b))
        encode(s + "_jpeg_lossless_sv1", s, lambda a, b: run("dcmcjpeg", "+e1", a, b))
        encode(s + "_jpeg_lossless", s, lambda a, b: run("dcmcjpeg", "+el", a, b))
        encode(s + "_jpegls_lossless", s, lambda a, b: run("dcmcjpls", "+el", a, b))
        encode(s + "_j2k_lossless", s, lambda a, b: run("gdcmconv", "--j2k", a, b))
    for s in ("mono8", "rgb8"):
        encode(s + "_jpeg_baseline", s, lambda a, b: run("dcmcjpeg", "+eb", a, b))
    encode("multi16_explicit_le", "multi16", lambda a, b: run("dcmconv", "+te", a, b))
    encode("multi16_rle", "multi16", lambda a, b: run("dcmcrle", a, b))
    encode("multi16_jpeg_lossless", "multi16", lambda a, b: run("dcmcjpeg", "+el", a, b))
    encode("multi16_j2k_lossless", "multi16", lambda a, b: run("gdcmconv", "--j2k", a, b))
    encode("mono16_jpeg_extended", "mono16", lambda a, b: run("dcmcjpeg", "+ee", a, b))
    encode("mono8_jpeg_extended", "mono8", lambda a, b: run("dcmcjpeg", "+ee", a, b))
    for s in ("voilut16", "voilutsigned", "voilut8", "modlut16"):
        encode(s + "_explicit_le", s, lambda a, b: run("dcmconv", "+te", a, b))
        encode(s + "_implicit_le", s, lambda a, b: run("dcmconv", "+ti", a, b))
    encode("voilut16_big_endian", "voilut16", lambda a, b: run("dcmconv", "+tb", a, b))
    encode("voilut16_jpeg_lossless", "voilut16", lambda a, b: run("dcmcjpeg", "+el", a, b))
    encode("mono16_jpegls_near", "mono16", lambda a, b: run("dcmcjpls", "+en", a, b))
    encode("rgb8_jpegls_sample", "rgb8", lambda a, b: run("dcmcjpls", "+el", "+is", a, b))
    encode("rgb8_jpegls_none", "rgb8", lambda a, b: run("dcmcjpls", "+el", "+in", a, b))
    encode("rgb8_jpegls_near_sample", "rgb8", lambda a, b: run("dcmcjpls", "+en", "+is", a, b))
    encode("mono16_j2k_lossy", "mono16", lambda a, b: run("gdcmconv", "--j2k", "--lossy", "-q", "50", a, b))
    encode("rgb8_j2k_lossy", "rgb8", lambda a, b: run("gdcmconv", "--j2k", "--lossy", "-q", "60", a, b))
    for s in ("rgb8", "mono16"):
        encode(s + "_j2k_tileparts", s, lambda a, b: j2k_short_tile_counts(a, b, src))
    # no file meta, no preamble: the dataset alone, implicit VR little endian
    bare = pydicom.dcmread(os.path.join(src, "mono16.dcm"))
    bare.file_meta = FileMetaDataset()
    bare.is_little_endian, bare.is_implicit_VR = True, True
    bare.save_as(os.path.join(out, "mono16_no_meta.dcm"), write_like_original=True)
    made["mono16_no_meta"] = os.path.join(out, "mono16_no_meta.dcm")

    manifest, tensors = {}, {}
    for name, path in sorted(made.items()):
        arr, ds = expected(path)
        ts = str(ds.file_meta.TransferSyntaxUID)
        tensors[name] = arr
        manifest[name] = {"transfer_syntax": ts, "photometric": str(ds.PhotometricInterpretation),
                          "lossless": ts not in LOSSY}
        if "VOILUTSequence" in ds:
            tensors[name + "#display"] = expected_display(path)
            manifest[name]["display"] = True
        if name.startswith("multi"):
            tensors[name + "@2"] = expected(path, 2)[0]
            manifest[name]["frames"] = 3
    # files without an image
    sr = base(1, 2, 1, 8, "MONOCHROME2", sop="1.2.840.10008.5.1.4.1.1.88.11")
    for k in ("Rows", "Columns", "SamplesPerPixel", "PhotometricInterpretation", "BitsAllocated", "BitsStored",
              "HighBit", "PixelRepresentation", "PixelData"):
        delattr(sr, k)
    sr.Modality = "SR"
    sr.save_as(os.path.join(out, "basic_text_sr.dcm"), write_like_original=False)
    manifest["basic_text_sr"] = {"no_pixels": "1.2.840.10008.5.1.4.1.1.88.11"}
    write_safetensors(os.path.join(out, "expected.safetensors"), tensors)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"generator": "tools/dicom-interop/make_fixtures.py", "pydicom": pydicom.__version__,
                   "files": manifest}, f, indent=1, sort_keys=True)
    for f in os.listdir(src):
        os.remove(os.path.join(src, f))
    os.rmdir(src)
    print("wrote", len(made) + 1, "files to", out)


if __name__ == "__main__":
    main()
