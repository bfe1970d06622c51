"""Image files as Simil's commands see them."""

import numpy as np
import torch

SIDE = 64


def read_image(path):
    """The image at path as a float tensor [3, 64, 64] of RGB pixels scaled to [0, 1] (needs Pillow). A 64×64
    image (every TinyImageNet one) gives exactly Simil's pixels where the decoders agree (PNG always, JPEG up
    to libjpeg's rounding); another size is resized with Pillow's bilinear filter, which is not Java's, so
    pixels differ slightly from what simil compare sees."""
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        if rgb.size != (SIDE, SIDE):
            rgb = rgb.resize((SIDE, SIDE), Image.BILINEAR)
        pixels = np.asarray(rgb, dtype=np.uint8)
    return torch.from_numpy(pixels.transpose(2, 0, 1).astype(np.float32) * np.float32(1 / 255))
