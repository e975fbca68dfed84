import { Outlet } from "react-router"
export default function AdminPlaceholder(){return <Outlet />}
