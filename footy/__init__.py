"""footy: predict football match outcomes with a Keras network and simulate World Cups.

Importing ``footy`` is cheap: TensorFlow and Keras are imported only by the
modules that train or load a network.
"""

__version__ = "0.1.0"
