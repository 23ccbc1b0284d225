// A file the user picked in the page (the register dialog's hardware-ID file): size-checked
// before it is read, then handed to the backend as base64 text. (Files to import are handed
// over by path: import/.)

/** Larger files are refused unread (the backend applies each kind's own, smaller cap). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The file's content as base64 text (read natively, as a data: URL). */
export async function readFile(file) {
  if (file.size > MAX_FILE_BYTES) {
    throw {
      code: "too_large",
      message: `${file.name}: ${file.size} bytes`,
      local: { key: "file.size", params: { file: file.name, bytes: file.size } },
    };
  }
  const url = await new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject({ code: "io", message: `${file.name}: ${reader.error ? reader.error.message : "unreadable"}` });
    reader.readAsDataURL(file);
  });
  return url.slice(url.indexOf(",") + 1);
}
