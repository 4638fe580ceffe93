"""Items that fill the lists: Image, Target, Caption, Batch; Ref Group and Ref Source."""
from __future__ import annotations

from dpg_lora.scripts.profiles import ALL, F2K, QEF, QI, QIE
from dpg_lora.specs.types import (
    BOOL, CHOICE, FLOAT, INT, KEY, RESOLUTION, STR, TEXT, FieldSpec, NodeSpec, PinSpec,
)


def _key(label: str, placeholder: str) -> FieldSpec:
    return FieldSpec("key", STR, label, "", required=True, is_key=True, placeholder=placeholder,
                     help="The name other items use to refer to this one.")


# Which scripts read what (reference trainer-config.md §2.8): `instruction` only the qwen scripts
# (LC, LCE and F2K ignore it); a caption's `reference_list` is ignored by train_qwen_image_new.py; a
# batch's reference_dropout is ignored by flux2klein (overwritten, F2K:2034). Fields a script does
# not read are not shown or written for it. (flux2klein reads only a reference list's
# reference_config; its other keys stay shown and written, and the rules say they are unused.)
_QWEN = (QI, QIE, QEF)
_REFERENCE_LIST = tuple(s for s in ALL if s != QI)
_NOT_F2K = tuple(s for s in ALL if s != F2K)


def _image_ref(name: str, label: str, **extra) -> FieldSpec:
    return FieldSpec(name, KEY, label, "", key_kind="image", path=(name,), **extra)


SAMPLE_TYPES = ("from_same_name", "from_subdir")
_SAMPLE_HELP = ("from_same_name (the default): the sample's own file of Image; from_subdir: random other images "
                "of Image's folder whose names match Suffix.")
_SUBDIR = ("sample_type", "from_subdir")
_SAME = ("sample_type", "from_same_name")
# What a from_subdir entry (target or reference source) adds.
_SUBDIR_FIELDS = (
    FieldSpec("suffix", STR, "Suffix", "", path=("suffix",), requires=_SUBDIR, required=True,
              help="from_subdir: a regular expression searched in the names (with extension) of the other "
                   "images in the image's own folder."),
    FieldSpec("count", INT, "Count", 1, min=0, path=("count",), requires=_SUBDIR,
              help="from_subdir: at most this many matching images, drawn at random when the cache is made "
                   "(kept until it is recreated)."),
)

IMAGE_ITEM = NodeSpec(
    type="image_item",
    title="Image Item",
    category="items",
    output="image",
    fields=(
        _key("Image key", "train"),
        FieldSpec("suffix", STR, "Suffix", "", path=("suffix",), placeholder="every image",
                  help="A file is this key's when its name without extension contains this text after the "
                       "first character (the last occurrence counts, case-sensitive); the part before it "
                       "pairs the files of one sample. Empty = every image."),
        FieldSpec("prefix", STR, "Prefix", "", path=("prefix",), optional=True, advanced=True,
                  help="After the suffix is cut off, cut the name again at this text, so a_T_M pairs with "
                       "a_T when the prefix is _T (masks of images)."),
    ),
)

TARGET_ITEM = NodeSpec(
    type="target_item",
    title="Target Item",
    category="items",
    output="target",
    fields=(
        _key("Target key", "train"),
        _image_ref("image", "Image", required=True,
                   help="The image key whose file is trained; the first target's image sets the sample's "
                        "bucket."),
        _image_ref("from_image", "From image", optional=True,
                   help="from_same_name: the noised input and the learning target both use this image's "
                        "latent instead of Image's; Image still sets the bucket."),
        FieldSpec("resize", RESOLUTION, "Resize", "", path=("resize",), optional=True, advanced=True,
                  placeholder="dataset resolution", help="The bucket size of this entry; empty = the dataset's."),
        FieldSpec("sample_type", CHOICE, "Sample type", "", choices=("",) + SAMPLE_TYPES, optional=True,
                  path=("sample_type",), advanced=True, placeholder="from_same_name", help=_SAMPLE_HELP),
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
                  help="Appended to the image's stem as it is: .txt reads a.txt for a.png. A missing file "
                       "trains with an empty prompt, silently."),
        FieldSpec("instruction", TEXT, "Instruction", "", path=("instruction",), optional=True, scripts=_QWEN,
                  help="Replaces the system instruction of the prompt (qwen scripts only; the others "
                       "ignore it)."),
        FieldSpec("use_reference_list", BOOL, "Reference list", False, scripts=_REFERENCE_LIST,
                  help="Encode this caption together with a reference group's images (when the cache is "
                       "made). train_longcat.py fails on it, train_qwen_image_new.py and flux2klein do not "
                       "use the images."),
        FieldSpec("reference_config", KEY, "Reference group", "", key_kind="reference",
                  path=("reference_list", "reference_config"), requires=("use_reference_list", True),
                  scripts=_REFERENCE_LIST,
                  help="The reference group whose images go with this caption; a name the sample lacks "
                       "only prints a warning."),
        FieldSpec("reference_resize", RESOLUTION, "Reference resize", "", optional=True,
                  path=("reference_list", "resize"), requires=("use_reference_list", True),
                  placeholder="script default", scripts=_REFERENCE_LIST,
                  help="The size the reference images are cropped to for the encoder; empty = 384 "
                       "(train_longcat_edit.py: the dataset's resolution)."),
        FieldSpec("reference_dropout", FLOAT, "Reference dropout", 0.0, min=0, max=1,
                  path=("reference_list", "dropout"), requires=("use_reference_list", True),
                  scripts=_REFERENCE_LIST,
                  help="The chance each reference image is left out, drawn when the cache is made."),
        FieldSpec("reference_min_length", INT, "Always keep", 0, min=0,
                  path=("reference_list", "min_length"), requires=("use_reference_list", True),
                  scripts=_REFERENCE_LIST,
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
                  required=True, help="The target key this batch config trains."),
        FieldSpec("caption_config", KEY, "Caption", "", key_kind="caption", path=("caption_config",),
                  required=True, help="The caption key whose prompt goes with the target."),
        FieldSpec("reference_config", KEY, "Reference group", "", key_kind="reference",
                  path=("reference_config",), optional=True,
                  help="The reference group fed to the model beside the target (train_longcat.py caches "
                       "it but does not feed it)."),
        FieldSpec("caption_dropout", FLOAT, "Caption dropout", None, min=0, max=1, optional=True,
                  path=("caption_dropout",), placeholder="global caption dropout",
                  help="The chance per step of an empty prompt; empty = Misc's caption dropout."),
        FieldSpec("reference_dropout", FLOAT, "Reference dropout", None, min=0, max=1, optional=True,
                  path=("reference_dropout",), placeholder="0", scripts=_NOT_F2K,
                  help="Per step, the references are taken in order and each is dropped with this chance; "
                       "once one is dropped, all later ones are too. flux2klein ignores it."),
        FieldSpec("weight", FLOAT, "Weight", None, min=0, max=1, optional=True, path=("weight",),
                  placeholder="share of the rest",
                  help="The chance of drawing this batch config when the dataset has several; set weights "
                       "may add up to at most 1 and the unset ones share the rest equally."),
        FieldSpec("extra_dropout", FLOAT, "Extra: dropout", 0.0, min=0, max=1, scripts=(F2K,),
                  path=("reference_config_extra", "dropout"), requires=("reference_config", None),
                  help="flux2klein's reference dropout: per step, the references from the first one that "
                       "draws under this chance (once Extra: min are kept) are dropped. Required with a "
                       "reference group."),
        FieldSpec("extra_min", INT, "Extra: min", 0, min=0, scripts=(F2K,),
                  path=("reference_config_extra", "min"), requires=("reference_config", None),
                  help="flux2klein: how many references are always kept."),
    ),
)

REF_SOURCE = NodeSpec(
    type="ref_source",
    title="Ref Source",
    category="references",
    output="ref_source",
    fields=(
        FieldSpec("sample_type", CHOICE, "Sample type", "from_same_name", choices=SAMPLE_TYPES,
                  path=("sample_type",), help=_SAMPLE_HELP),
        _image_ref("image", "Image", required=True,
                   help="from_same_name: the sample's file of this image key is the reference; from_subdir: "
                        "its folder is searched."),
        *_SUBDIR_FIELDS,
        _image_ref("from_image", "From image", optional=True, requires=_SAME, advanced=True,
                   help="Cached with the reference, but training feeds the reference's own latent: no "
                        "effect on what the model sees."),
        FieldSpec("resize", RESOLUTION, "Resize", "", path=("resize",), optional=True,
                  placeholder="dataset resolution", help="The bucket size of this entry; empty = the dataset's."),
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
