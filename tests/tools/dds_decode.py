#!/usr/bin/env python3
"""Decodes a DDS file (BC1/DXT1, BC3/DXT5, BC5/ATI2), or any other image Pillow opens (the texture
wire tests' JPEG and WebP mips), with Pillow, an implementation independent of ours, and writes its
top level as raw RGBA8. Prints "WIDTH HEIGHT MODE".
usage: dds_decode.py IN.dds OUT.rgba"""
import sys

from PIL import Image

image = Image.open(sys.argv[1])
image.load()
mode = image.mode
with open(sys.argv[2], "wb") as out:
    out.write(image.convert("RGBA").tobytes())
print(image.width, image.height, mode)
