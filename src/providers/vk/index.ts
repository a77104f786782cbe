export { createVkUploader, videoUrl } from './uploader.js'
