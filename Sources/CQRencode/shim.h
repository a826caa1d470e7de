#include <qrencode.h>

/* Encodes `input` with data mask `mask` (0 to 7) instead of trying all eight. libqrencode has
   exported it since 3.2.0 (Debian's libqrencode4 symbols file lists QRcode_encodeMask@Base
   3.2.0) but declares it only in its own sources; Sohoa chooses the mask itself (QRMasking). */
extern QRcode *QRcode_encodeMask(QRinput *input, int mask);
