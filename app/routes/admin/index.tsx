export default function AdminPlaceholder(){return null}
