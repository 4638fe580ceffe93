"""Items that fill the lists: Image, Target, Caption, Batch; Ref Group and Ref Source."""
from __future__ import annotations

from dpg_lora.scripts.profiles import F2K
from dpg_lora.specs.types import (
    BOOL, CHOICE, FLOAT, INT, KEY, RESOLUTION, STR, TEXT, FieldSpec, NodeSpec, PinSpec,
)


def _key(label: str, placeholder: str) -> FieldSpec:
    return FieldSpec("key", STR, label, "", required=True, is_key=True, placeholder=placeholder,
                     help="The name other items use to refer to this one.")


def _image_ref(name: str, label: str, **extra) -> FieldSpec:
    return FieldSpec(name, KEY, label, "", key_kind="image", path=(name,), **extra)


SAMPLE_TYPES = ("from_same_name", "from_subdir")
_SUBDIR = ("sample_type", "from_subdir")
_SAME = ("sample_type", "from_same_name")
# What a from_subdir entry (target or reference source) adds.
_SUBDIR_FIELDS = (
    FieldSpec("suffix", STR, "Suffix", "", path=("suffix",), requires=_SUBDIR, required=True,
              help="A regex searched in sibling file names (from_subdir)."),
    FieldSpec("count", INT, "Count", 1, min=0, path=("count",), requires=_SUBDIR),
)

IMAGE_ITEM = NodeSpec(
    type="image_item",
    title="Image Item",
    category="items",
    output="image",
    fields=(
        _key("Image key", "train"),
        FieldSpec("suffix", STR, "Suffix", "", path=("suffix",), placeholder="every image",
                  help="Files whose name contains this after the first character; empty = every image."),
        FieldSpec("prefix", STR, "Prefix", "", path=("prefix",), optional=True, advanced=True,
                  help="Cut the group name again at this text (masks of images)."),
    ),
)

TARGET_ITEM = NodeSpec(
    type="target_item",
    title="Target Item",
    category="items",
    output="target",
    fields=(
        _key("Target key", "train"),
        _image_ref("image", "Image", required=True),
        _image_ref("from_image", "From image", optional=True,
                   help="Train towards this image's latent instead (edit training)."),
        FieldSpec("resize", RESOLUTION, "Resize", "", path=("resize",), optional=True, advanced=True,
                  placeholder="dataset resolution"),
        FieldSpec("sample_type", CHOICE, "Sample type", "", choices=("",) + SAMPLE_TYPES, optional=True,
                  path=("sample_type",), advanced=True, placeholder="from_same_name",
                  help="from_subdir takes random siblings of the image whose names match the suffix."),
        *_SUBDIR_FIELDS,
    ),
)

CAPTION_ITEM = NodeSpec(
    type="caption_item",
    title="Caption Item",
    category="items",
    output="caption",
    fields=(
        _key("Caption key", "train"),
        _image_ref("image", "Image", required=True, help="The caption file sits next to this image."),
        FieldSpec("ext", STR, "Extension", ".txt", path=("ext",), required=True,
                  help="Appended to the image's stem as it is: .txt reads a.txt for a.png."),
        FieldSpec("instruction", TEXT, "Instruction", "", path=("instruction",), optional=True,
                  help="System instruction (qwen scripts only)."),
        FieldSpec("use_reference_list", BOOL, "Reference list", False,
                  help="Feed reference images to the text encoder with this caption."),
        FieldSpec("reference_config", KEY, "Reference group", "", key_kind="reference",
                  path=("reference_list", "reference_config"), requires=("use_reference_list", True)),
        FieldSpec("reference_resize", RESOLUTION, "Reference resize", "", optional=True,
                  path=("reference_list", "resize"), requires=("use_reference_list", True),
                  placeholder="script default"),
        FieldSpec("reference_dropout", FLOAT, "Reference dropout", 0.0, min=0, max=1,
                  path=("reference_list", "dropout"), requires=("use_reference_list", True)),
        FieldSpec("reference_min_length", INT, "Always keep", 0, min=0,
                  path=("reference_list", "min_length"), requires=("use_reference_list", True),
                  help="The first min_length + 1 references are always included."),
    ),
)

BATCH_ITEM = NodeSpec(
    type="batch_item",
    title="Batch Item",
    category="items",
    output="batch",
    fields=(
        FieldSpec("target_config", KEY, "Target", "", key_kind="target", path=("target_config",),
                  required=True),
        FieldSpec("caption_config", KEY, "Caption", "", key_kind="caption", path=("caption_config",),
                  required=True),
        FieldSpec("reference_config", KEY, "Reference group", "", key_kind="reference",
                  path=("reference_config",), optional=True),
        FieldSpec("caption_dropout", FLOAT, "Caption dropout", None, min=0, max=1, optional=True,
                  path=("caption_dropout",), placeholder="global caption dropout"),
        FieldSpec("reference_dropout", FLOAT, "Reference dropout", None, min=0, max=1, optional=True,
                  path=("reference_dropout",), placeholder="0"),
        FieldSpec("weight", FLOAT, "Weight", None, min=0, max=1, optional=True, path=("weight",),
                  placeholder="share of the rest", help="Chance of drawing this batch config."),
        FieldSpec("extra_dropout", FLOAT, "Extra: dropout", 0.0, min=0, max=1, scripts=(F2K,),
                  path=("reference_config_extra", "dropout"), requires=("reference_config", None),
                  help="flux2klein: reference dropout (required with a reference group)."),
        FieldSpec("extra_min", INT, "Extra: min", 0, min=0, scripts=(F2K,),
                  path=("reference_config_extra", "min"), requires=("reference_config", None),
                  help="flux2klein: references always kept."),
    ),
)

REF_SOURCE = NodeSpec(
    type="ref_source",
    title="Ref Source",
    category="references",
    output="ref_source",
    fields=(
        FieldSpec("sample_type", CHOICE, "Sample type", "from_same_name", choices=SAMPLE_TYPES,
                  path=("sample_type",)),
        _image_ref("image", "Image", required=True),
        *_SUBDIR_FIELDS,
        _image_ref("from_image", "From image", optional=True, requires=_SAME, advanced=True),
        FieldSpec("resize", RESOLUTION, "Resize", "", path=("resize",), optional=True,
                  placeholder="dataset resolution"),
    ),
)

REF_GROUP = NodeSpec(
    type="ref_group",
    title="Ref Group",
    category="references",
    output="ref_group",
    fields=(_key("Group key", "ref"),),
    inputs=(PinSpec("sources", "ref_source", "Sources", multi=True, required=True),),
    collect="list",
    help="One reference_configs entry: its sources in link order.",
)

NODES = (IMAGE_ITEM, TARGET_ITEM, CAPTION_ITEM, BATCH_ITEM, REF_GROUP, REF_SOURCE)
