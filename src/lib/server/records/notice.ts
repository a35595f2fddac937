import QRCode from 'qrcode';

/** The QR on the printed notice encodes exactly the record's public URL. Tests regenerate it with these options to check. */
export const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 1, width: 240 } as const;

export function recordQr(recordUrl: string): Promise<string> {
	return QRCode.toDataURL(recordUrl, QR_OPTIONS);
}
