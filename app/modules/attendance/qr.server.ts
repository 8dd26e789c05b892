import QRCode from 'qrcode'

/** An SVG QR code, rendered on the server so the check-in screen needs no client library. */
export function qrSvg(text: string) {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#000000', light: '#ffffff' } })
}
