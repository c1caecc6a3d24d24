/*
 * SSDT for the test VM (scripts/vm-run.sh --d3cold): power resources for
 * the vfio-pci device's slot, \_SB.PCI0.S28 (q35 root bus, slot 5, where
 * vm-run.sh puts the e1000e), so that the kernel can take the idle device to
 * D3cold: _PR0 and _PR3 name one PowerResource whose _OFF the PCI core calls
 * after D3hot. QEMU emulates no power rail; the resource only keeps a state.
 * Compiled by scripts/vm-run.sh with iasl (acpica-tools).
 */
DefinitionBlock ("", "SSDT", 2, "VFIOPM", "D3COLD", 1)
{
	External (\_SB.PCI0, DeviceObj)
	External (\_SB.PCI0.S28, DeviceObj)

	Scope (\_SB.PCI0)
	{
		PowerResource (PRS5, 0, 0)
		{
			Name (ONST, One)
			Method (_STA, 0, NotSerialized)
			{
				Return (ONST)
			}
			Method (_ON, 0, NotSerialized)
			{
				ONST = One
			}
			Method (_OFF, 0, NotSerialized)
			{
				ONST = Zero
			}
		}
	}

	Scope (\_SB.PCI0.S28)
	{
		Name (_PR0, Package (0x01) { PRS5 })
		Name (_PR3, Package (0x01) { PRS5 })
	}
}
